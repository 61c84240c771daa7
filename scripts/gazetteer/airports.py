#!/usr/bin/env python3
"""Builds data/gazetteer/airports.tsv.gz, the airports a trip may arrive at or leave from.

Source: the PyPI package `airportsdata` (MIT, https://github.com/mborsetti/airportsdata):
ICAO/IATA codes, name, city, country, coordinates and IANA time zone of nearly every
airport. Only airports with an IATA code are kept (the ones with scheduled passenger
service; landing strips and military bases have none).

Usage (needs only pip and Python 3.10+):
    pip download --no-deps airportsdata==20260905 -d /tmp/apd
    python3 scripts/gazetteer/airports.py /tmp/apd/airportsdata-20260905-py3-none-any.whl

Output, gzip-compressed UTF-8, one airport per line, tab-separated, sorted by IATA code:
    iata  icao  name  city  country  lat  lon  timezone
"""

import csv
import gzip
import io
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
OUT = ROOT / "data" / "gazetteer" / "airports.tsv.gz"
MEMBER = "airportsdata/airports.csv"


def clean(s: str) -> str:
    return " ".join(s.replace("\t", " ").split())


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as z:
        text = z.read(MEMBER).decode("utf-8")
    rows = []
    for r in csv.DictReader(io.StringIO(text)):
        iata = r["iata"].strip()
        if len(iata) != 3 or not iata.isalpha() or not r["tz"].strip():
            continue
        rows.append(
            (
                iata.upper(),
                clean(r["icao"]),
                clean(r["name"]),
                clean(r["city"]),
                clean(r["country"]),
                f"{float(r['lat']):.5f}",
                f"{float(r['lon']):.5f}",
                clean(r["tz"]),
            )
        )
    rows.sort()
    body = "".join("\t".join(r) + "\n" for r in rows).encode("utf-8")
    # mtime=0: the same input gives the same bytes.
    with open(OUT, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
        g.write(body)
    print(f"{len(rows)} airports → {OUT.relative_to(ROOT)} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
