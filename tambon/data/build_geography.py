#!/usr/bin/env python3
"""Alternative: build geography.csv from the PyPI package geothai (data: CC BY 4.0,
GeoThai/data, (c) 2026 Pongsakorn Thipayanate). Usage: build_geography_geothai.py DATA_DIR out.csv
where DATA_DIR is geothai/_data inside the wheel (pip download --no-deps geothai==3.2.1; unzip)."""
import csv, json, os, sys
d = sys.argv[1]
P = {r[0]: r for r in json.load(open(os.path.join(d, "provinces.json"), encoding="utf-8"))}
D = {r[0]: r for r in json.load(open(os.path.join(d, "districts.json"), encoding="utf-8"))}
S = json.load(open(os.path.join(d, "subdistricts.json"), encoding="utf-8"))
cols = ["province_code", "province_name_th", "province_name_en", "district_code", "district_name_th",
        "district_name_en", "subdistrict_code", "subdistrict_name_th", "subdistrict_name_en", "postcode"]
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n"); w.writerow(cols)
    for code, th, en, pc in sorted(S):
        p, dd = P[code[:2]], D[code[:4]]
        w.writerow([p[0], p[1], p[2], dd[0], dd[1], dd[2], code, th, en, (pc or "").split()[0] if pc else ""])
