#!/usr/bin/env python3
"""harbin2pay.py: converts the published Harbin DRG payment parameters
(../shared/reference-data/payment/harbin: weights-YYYY.tsv, base-rates-YYYY.tsv)
into payment specs grouper-specs/payment/harbin-YYYY.xml on grouping spec
haerbin-2022, once; the XML files are then the source of truth.

A weight whose DRG code is not a DRG of haerbin-2022 cannot price any case of
that grouping spec: it is left out of <groups> and listed in a comment, and
the tool prints the count (the payment spec compiler would reject it as an
unknown group).  The DRG codes of haerbin-2022 come from `drg dump`.

usage: tools/harbin2pay.py DRG-BINARY HARBIN-DIR OUT-DIR
"""
import os
import re
import subprocess
import sys
from xml.sax.saxutils import quoteattr

YEARS = ("2023", "2024")


def drg_codes(drg):
    out = subprocess.run([drg, "dump", "--spec", "haerbin-2022"], check=True,
                         capture_output=True, text=True).stdout
    return set(re.findall(r"-> ok \S+ \S+ (\S+)", out))


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    return rows[0], rows[1:]


def wrap(codes, width=100):
    lines, cur = [], ""
    for c in codes:
        if len(cur) + len(c) + 1 > width:
            lines.append(cur)
            cur = ""
        cur = (cur + " " + c).strip()
    return lines + ([cur] if cur else [])


def spec(year, weights, rates, known):
    matched = [w for w in weights if w[0] in known]
    unmatched = [w[0] for w in weights if w[0] not in known]
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<!-- Harbin {year} DRG payment parameters, converted once by tools/harbin2pay.py from',
           '     ../shared/reference-data/payment/harbin (DamageControlStudio/CHS-DRG, MIT, commit 3bf7813,',
           f'     static/{year}.weights.js); this file is the source of truth.',
           f'     {len(weights)} published weights: {len(matched)} are DRGs of haerbin-2022 and priced here;',
           f'     {len(unmatched)} name DRGs that haerbin-2022 does not have (a later local subdivision) and are',
           '     left out:']
    out += ["       " + line for line in wrap(unmatched)]
    out += ['     Routing: the national CHS-DRG defaults (technical specification 2019): high cost above',
            '     3x the payment standard at tertiary, 2x at secondary (and primary) hospitals, paid by item;',
            '     low cost below 0.3x, paid by item; stays of 60 days or more paid by item and sent to',
            '     separate review.  The base rate is published as the level-I rate; it is applied at every',
            '     hospital level (no other level rates are published). -->',
            f'<drg-payment xmlns="urn:x-drg:pay:1" id="harbin-{year}" grouping="haerbin-2022" region="230100"',
            f'    method="rate" valid-from="{year}-01-01" valid-to="{year}-12-31" fund-types="employee resident"',
            f'    rounding="half-up" title="Harbin DRG payment {year}">',
            '  <source project="DamageControlStudio/CHS-DRG" license="MIT" commit="3bf7813"'
            f' path="static/{year}.weights.js"/>']
    for fund, rate in rates:
        out.append(f'  <base-rate fund="{fund}" yuan="{rate}"/>')
    out += ['  <high-cost reference="standard" compare="gt" payment="ffs">',
            '    <tier level="3" mult="3"/>',
            '    <tier level="2" mult="2"/>',
            '    <tier level="1" mult="2"/>',
            '  </high-cost>',
            '  <low-cost mult="0.3" compare="lt" payment="ffs"/>',
            '  <long-stay min-days="60" payment="ffs"/>',
            '  <ungroupable payment="ffs"/>',
            '  <qy payment="ffs"/>',
            '  <exempt payment="item"/>',
            '  <review>',
            '    <trigger reason="long_stay" los-ge="60"/>',
            '    <trigger reason="high_cost" ratio-ge="3"/>',
            '    <trigger reason="new_tech" exempt-ge="0.01"/>',
            '  </review>',
            '  <period outlier-cap="0.05" review-quota="0.05"/>',
            '  <groups>']
    for w in matched:
        name = f' name={quoteattr(w[2])}' if len(w) > 2 and w[2] else ""
        out.append(f'    <group drg="{w[0]}" rw="{w[1]}"{name}/>')
    out += ['  </groups>', '</drg-payment>', '']
    return "\n".join(out), len(matched), unmatched


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    drg, src, dst = sys.argv[1:]
    known = drg_codes(drg)
    for year in YEARS:
        _, weights = read_tsv(os.path.join(src, f"weights-{year}.tsv"))
        _, rates = read_tsv(os.path.join(src, f"base-rates-{year}.tsv"))
        text, n, unmatched = spec(year, weights, rates, known)
        with open(os.path.join(dst, f"harbin-{year}.xml"), "w", encoding="utf-8") as f:
            f.write(text)
        missing = len(known - {w[0] for w in weights})
        print(f"harbin-{year}: {len(weights)} weights, {n} match DRGs of haerbin-2022, "
              f"{len(unmatched)} do not; {missing} of its {len(known)} DRGs have no weight")


if __name__ == "__main__":
    main()
