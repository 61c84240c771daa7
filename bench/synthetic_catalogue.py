#!/usr/bin/env python3
"""Writes a synthetic GeoJSON FeatureCollection for load tests: every feature of the given
Overpass GeoJSON files copied COPIES times, each copy moved by a random offset of up to
RADIUS metres and given a new element id (so the importer treats it as a new place).
Names get a copy number so text search sees distinct names. Deterministic (seeded).

usage: bench/synthetic_catalogue.py OUT.json COPIES FILE.json...
"""
import json
import math
import random
import sys

out, copies, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
radius_m = 3000.0
rng = random.Random(42)
features = []
next_id = 9_000_000_000_000
for path in files:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    for feat in data.get("features", []):
        props = feat.get("properties") or {}
        geom = feat.get("geometry") or {}
        if geom.get("type") != "Point" or not props.get("name") or props.get("name") == "Unnamed":
            continue
        lon, lat = geom["coordinates"][:2]
        for c in range(copies):
            d = radius_m * math.sqrt(rng.random())
            a = rng.random() * 2 * math.pi
            dlat = d * math.cos(a) / 111_320.0
            dlon = d * math.sin(a) / (111_320.0 * math.cos(math.radians(lat)))
            p = dict(props)
            next_id += 1
            p["id"] = next_id
            p["type"] = "node"
            p["name"] = f"{props['name']} #{c + 1}"
            features.append({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon + dlon, lat + dlat]},
                "properties": p,
            })
with open(out, "w", encoding="utf-8") as f:
    json.dump({"type": "FeatureCollection",
               "metadata": {"generatedAt": "2025-11-22T00:00:00Z", "synthetic": True},
               "features": features}, f)
print(f"{len(features)} synthetic places written to {out}")
