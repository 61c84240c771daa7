#!/usr/bin/env python3
"""Synthetic NHIS health-checkup sample (HEALTHSYNC spec §4.3).

Writes data/healthsync/nhis_sample.csv: UTF-8, the canonical NHIS "건강검진정보" header,
1,000 synthetic persons x years 2020-2024 (5,000 rows), stable 가입자일련번호 per person.

Determinism: only the standard library and only random.random() from a seeded Random; no
libm calls (normal draws by Irwin-Hall sums, exp by a series using + - * /), so every
Python 3 on every platform writes the same bytes. CI regenerates and compares.

    python3 scripts/healthsync/gen_nhis_sample.py --seed 20250620 [--persons 1000] [--out PATH]

--persons scales the output (e.g. 200000 persons = 1,000,000 rows for the import benchmark).
"""

import argparse
import os
import random
import sys

HEADER = [
    "기준년도", "가입자일련번호", "시도코드", "성별코드", "연령대코드(5세단위)", "신장(5cm단위)",
    "체중(5kg단위)", "허리둘레", "시력(좌)", "시력(우)", "청력(좌)", "청력(우)", "수축기혈압",
    "이완기혈압", "식전혈당(공복혈당)", "총콜레스테롤", "트리글리세라이드", "HDL콜레스테롤",
    "LDL콜레스테롤", "혈색소", "요단백", "혈청크레아티닌", "혈청지오티(AST)", "혈청지피티(ALT)",
    "감마지티피", "흡연상태", "음주여부", "구강검진수검여부", "치아우식증유무", "결손치유무",
    "치아마모증유무", "제3대구치(사랑니)이상", "치석", "데이터공개일자",
]
YEARS = range(2020, 2025)
# Key fields are never blanked or made implausible.
KEY_COLUMNS = {"기준년도", "가입자일련번호", "시도코드", "성별코드", "연령대코드(5세단위)", "데이터공개일자"}
# Implausible values written for 0.5 % of rows (the importer stores them as null).
IMPLAUSIBLE = {
    "허리둘레": "999", "수축기혈압": "999", "이완기혈압": "5", "식전혈당(공복혈당)": "2000",
    "혈색소": "99.9", "신장(5cm단위)": "500", "혈청지오티(AST)": "99999",
}
REGIONS = [(11, 19), (26, 7), (27, 5), (28, 6), (29, 3), (30, 3), (31, 2), (36, 1), (41, 26),
           (42, 3), (43, 3), (44, 4), (45, 4), (46, 4), (47, 5), (48, 6), (49, 1)]


class Draw:
    """Every random quantity comes from rng.random()."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def u(self):
        return self.rng.random()

    def normal(self, mean, sd):
        # Irwin-Hall: the sum of 12 uniforms minus 6 has mean 0 and variance 1.
        s = 0.0
        for _ in range(12):
            s += self.rng.random()
        return mean + sd * (s - 6.0)

    def chance(self, p):
        return self.rng.random() < p

    def pick(self, weighted):
        total = sum(w for _, w in weighted)
        x = self.rng.random() * total
        for value, w in weighted:
            x -= w
            if x < 0:
                return value
        return weighted[-1][0]


def exp(x):
    """e**x by range reduction and a Taylor series (+ - * / only: the same bits everywhere)."""
    n = 0
    while x > 0.5:
        x -= 0.5
        n += 1
    while x < -0.5:
        x += 0.5
        n -= 1
    term, total = 1.0, 1.0
    for k in range(1, 20):
        term = term * x / k
        total += term
    half = 1.6487212707001282  # e**0.5
    while n > 0:
        total *= half
        n -= 1
    while n < 0:
        total /= half
        n += 1
    return total


def clamp(v, lo, hi):
    return lo if v < lo else hi if v > hi else v


def person(d, index):
    male = d.chance(0.52)
    age = int(25 + d.u() * 25) if d.chance(0.7) else int(20 + d.u() * 46)
    smoking = d.pick([(1, 45), (2, 30), (3, 25)] if male else [(1, 93), (2, 3), (3, 4)])
    return {
        "serial": 100001 + index,
        "male": male,
        "age2020": age,
        "region": d.pick(REGIONS),
        "height": d.normal(172, 6) if male else d.normal(159, 5),
        "bmi": d.normal(24.3, 3.3) if male else d.normal(22.4, 3.4),
        "bmi_drift": d.normal(0.1, 0.15),
        "sbp_offset": d.normal(0, 8),
        "glucose_offset": d.normal(0, 0.12),
        "lipid_phase": int(d.u() * 4),
        "chol": d.normal(195, 30),
        "hdl": d.normal(50, 10) if male else d.normal(60, 12),
        "tg_mu": d.normal(0, 0.3),
        "hb": d.normal(15.2, 0.9) if male else d.normal(13.0, 0.9),
        "liver_mu": d.normal(0, 0.25),
        "creat": d.normal(0.95, 0.12) if male else d.normal(0.72, 0.1),
        "smoking": smoking,
        "drinks": d.chance(0.72 if male else 0.48),
        "vision": d.normal(1.0, 0.3),
        "oral_exam_rate": d.u(),
    }


def fmt1(v):
    return "%.1f" % v


def row(d, p, year):
    years = year - 2020
    age = p["age2020"] + years
    male = p["male"]
    bmi = p["bmi"] + p["bmi_drift"] * years + d.normal(0, 0.3)
    height = p["height"] + d.normal(0, 0.5)
    weight = bmi * (height / 100) ** 2
    waist = (3.0 * bmi + 10 if male else 2.8 * bmi + 14) + d.normal(0, 3.5)
    sbp = 112 + 0.45 * (age - 30) + 1.3 * (bmi - 22) + (5 if male else 0) + p["sbp_offset"] + d.normal(0, 9)
    dbp = 72 + 0.55 * (sbp - 120) + d.normal(0, 6)
    glucose = (91 + 0.45 * (age - 40) + 1.6 * (bmi - 23)) * exp(p["glucose_offset"] + d.normal(0, 0.15))
    lipids = (years + p["lipid_phase"]) % 4 == 0
    chol = p["chol"] + 0.5 * (age - 40) + d.normal(0, 12)
    hdl = p["hdl"] - 0.6 * (bmi - 23) + d.normal(0, 4)
    tg = (125 if male else 90) * exp(p["tg_mu"] + 0.04 * (bmi - 23) + d.normal(0, 0.25))
    ldl = chol - hdl - tg / 5
    hb = p["hb"] + d.normal(0, 0.5)
    ast = 22 * exp(p["liver_mu"] + d.normal(0, 0.2))
    alt = (24 if male else 16) * exp(p["liver_mu"] + 0.03 * (bmi - 23) + d.normal(0, 0.25))
    ggt = (35 if male else 18) * exp(p["liver_mu"] + (0.3 if p["drinks"] else 0) + d.normal(0, 0.35))
    creat = p["creat"] * exp(d.normal(0, 0.08) + 0.004 * (age - 40))
    urine = d.pick([(1, 95), (2, 3), (3, 1.2), (4, 0.5), (5, 0.2), (6, 0.1)])
    drinks = p["drinks"] if not d.chance(0.05) else not p["drinks"]
    oral = d.u() < p["oral_exam_rate"]

    def vision():
        if d.chance(0.003):
            return "9.9"
        return fmt1(clamp(p["vision"] + d.normal(0, 0.1) - 0.005 * max(0, age - 45), 0.1, 2.5))

    values = {
        "기준년도": str(year),
        "가입자일련번호": str(p["serial"]),
        "시도코드": str(p["region"]),
        "성별코드": "1" if male else "2",
        "연령대코드(5세단위)": str(clamp(age // 5 + 1, 1, 18)),
        "신장(5cm단위)": str(int(height // 5) * 5),
        "체중(5kg단위)": str(int(weight // 5) * 5),
        "허리둘레": fmt1(clamp(waist, 55, 140)),
        "시력(좌)": vision(),
        "시력(우)": vision(),
        "청력(좌)": "2" if d.chance(0.03) else "1",
        "청력(우)": "2" if d.chance(0.03) else "1",
        "수축기혈압": str(int(clamp(sbp, 80, 220))),
        "이완기혈압": str(int(clamp(dbp, 45, 140))),
        "식전혈당(공복혈당)": str(int(clamp(glucose, 60, 400))),
        "총콜레스테롤": str(int(clamp(chol, 100, 400))) if lipids else "",
        "트리글리세라이드": str(int(clamp(tg, 30, 900))) if lipids else "",
        "HDL콜레스테롤": str(int(clamp(hdl, 20, 120))) if lipids else "",
        "LDL콜레스테롤": str(int(clamp(ldl, 30, 300))) if lipids else "",
        "혈색소": fmt1(clamp(hb, 7, 20)),
        "요단백": str(urine),
        "혈청크레아티닌": fmt1(clamp(creat, 0.3, 9.0)),
        "혈청지오티(AST)": str(int(clamp(ast, 8, 900))),
        "혈청지피티(ALT)": str(int(clamp(alt, 5, 900))),
        "감마지티피": str(int(clamp(ggt, 5, 900))),
        "흡연상태": str(p["smoking"]),
        "음주여부": "1" if drinks else "0",
        "구강검진수검여부": "1" if oral else "0",
        "치아우식증유무": ("1" if d.chance(0.15) else "0") if oral else "",
        "결손치유무": ("1" if d.chance(0.1) else "0") if oral else "",
        "치아마모증유무": ("1" if d.chance(0.1) else "0") if oral else "",
        "제3대구치(사랑니)이상": ("1" if d.chance(0.05) else "0") if oral else "",
        "치석": ("1" if d.chance(0.4) else "0") if oral else "",
        "데이터공개일자": "%d-12-28" % (year + 1),
    }
    # 1 % blank cells in the item columns, 0.5 % rows with one implausible value.
    for column in HEADER:
        if column not in KEY_COLUMNS and values[column] and d.chance(0.01):
            values[column] = ""
    if d.chance(0.005):
        columns = sorted(IMPLAUSIBLE)
        column = columns[int(d.u() * len(columns))]
        values[column] = IMPLAUSIBLE[column]
    return ",".join(values[c] for c in HEADER)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--persons", type=int, default=1000)
    parser.add_argument("--out", default=os.path.join("data", "healthsync", "nhis_sample.csv"))
    args = parser.parse_args()
    d = Draw(args.seed)
    persons = [person(d, i) for i in range(args.persons)]
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    total = args.persons * len(YEARS)
    written = 0
    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        out.write(",".join(HEADER) + "\n")
        for year in YEARS:
            for p in persons:
                out.write(row(d, p, year) + "\n")
                written += 1
                if total >= 100000 and written % 100000 == 0:
                    print("%d / %d rows" % (written, total), file=sys.stderr)
    print("wrote %s (%d rows)" % (args.out, total), file=sys.stderr)


if __name__ == "__main__":
    main()
