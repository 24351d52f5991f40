#!/usr/bin/env python3
"""make-priced-sample.py: writes samples/priced-cases.csv, the bundled sample for
the payment example: the haerbin-2022 conformance cases (tests/conformance) with
synthetic, seeded payment columns.  A case's cost is drawn around RW x 12252.70
(harbin-2024's employee rate) of the group `drg group` assigns, with a few very
high and very low costs, long stays, deaths, exempt costs and ventilation hours
mixed in, over three hospitals.  The costs are invented; the codes are real.

usage: tools/make-priced-sample.py DRG-BINARY > samples/priced-cases.csv
"""
import csv
import io
import random
import re
import subprocess
import sys

SRC = "tests/conformance/haerbin-2022/cases.csv"
PAY = "grouper-specs/payment/harbin-2024.xml"


def main():
    drg = sys.argv[1]
    rw = dict(re.findall(r'<group drg="(\w+)" rw="([0-9.]+)"', open(PAY, encoding="utf-8").read()))
    out = subprocess.run([drg, "group", "--spec", "haerbin-2022", "--in", SRC, "--threads", "1"],
                         check=True, capture_output=True, text=True).stdout
    group = {r["id"]: r["drg"] for r in csv.DictReader(io.StringIO(out))}
    rnd = random.Random(2024)
    rows = list(csv.DictReader(open(SRC, encoding="utf-8")))
    cols = list(rows[0].keys()) + ["exempt_cost", "fund_type", "hospital_level", "hospital_id",
                                   "discharge_date", "vent_hours"]
    w = csv.DictWriter(sys.stdout, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    for r in rows:
        weight = float(rw.get(group.get(r["id"], ""), "1.0"))
        factor = rnd.choice([0.2, 0.5, 0.8, 0.9, 1.0, 1.0, 1.1, 1.2, 1.5, 2.5, 3.5])
        r["total_cost"] = f"{weight * 12252.70 * factor * rnd.uniform(0.9, 1.1):.2f}"
        r["exempt_cost"] = f"{rnd.uniform(500, 3000):.2f}" if rnd.random() < 0.05 else ""
        r["fund_type"] = rnd.choice(["employee", "employee", "resident"])
        r["hospital_level"] = rnd.choice(["3", "3", "2"])
        r["hospital_id"] = {"3": rnd.choice(["H01", "H02"]), "2": "H03"}[r["hospital_level"]]
        r["discharge_date"] = f"2024-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        r["vent_hours"] = str(rnd.randint(96, 300)) if rnd.random() < 0.03 else ""
        if rnd.random() < 0.03:
            r["los"] = str(rnd.randint(60, 90))
        w.writerow(r)


if __name__ == "__main__":
    main()
