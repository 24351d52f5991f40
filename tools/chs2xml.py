#!/usr/bin/env python3
"""chs2xml: one-time converter from the CHS-DRG 2.0 rule data to our XML specs.

Reads the rule data of qweaszxcdf/CHS-DRG-Grouper as saved under
../shared/reference-data/chs-drg-src/qweaszxcdf/src/data (its README gives every
field; ../shared/docs/chs-drg-2-3.md the semantics) and writes

  grouper-specs/lib/chs-2.0.xml   the common package: MDC identifying lists, trauma
                                  regions, MCC/CC/CCE exclusion tables, invalid
                                  principal codes, the procedure codes the shared
                                  dictionary lacks (a Shanghai 2.0 or a later edition
                                  imports it instead of copying);
  grouper-specs/chs-drg-2.0.xml   the edition: settings, checks, MDCs, ADRG rules
                                  (sections as code sets), DRG splits and names;
  grouper-specs/lib/chs-3.0.xml   the CHS-DRG 3.0 common package and edition lists
                                  (MDC lists, trauma regions, invalid codes as changes
                                  to the 2.0 ones; the renumbered MCC/CC/CCE tables;
                                  QY-difference, high-risk-pregnancy and robot lists).
                                  The 3.0 ADRG rules are not in the saved data, so
                                  there is no chs-drg-3.0 spec yet.

The generated files are committed and are the source of truth; this tool documents
(and can redo) the conversion.  How the rule data becomes our conditions:

  * a section name decides what it tests: 诊断 -> diagnoses, else 手术/操作 ->
    procedures; 主要 -> the principal code, 其他 -> the secondary codes, otherwise
    any position (main-dx, secondary-dx, any-dx, main-px, ...);
  * `_logicRPN` (postfix over sections, && || !) becomes nested <all>/<any>/<not>;
    a rule without logic ORs its diagnosis sections, ORs its procedure sections and
    ANDs the two groups; the flags become: requiredProcedureGroups -> all groups
    present anywhere, requiredReferencedADRGs -> a code of each referenced ADRG's
    procedure sections anywhere, referencedADRGs -> the principal procedure in one of
    them, anyProcedureRequired -> <has-main-px/>, zeroProceduresRequired -> <true/>
    (first flag present decides, in the engine's order);
  * an ADRG of an ordinary MDC whose second letter is A-Q (surgical) also needs an
    effective principal procedure; a medical one (R-Z) in any MDC returns <L>QY when
    the case has one;
  * MDCP ADRGs get the age and weight limits written in their names;
  * an `ss_invalid` principal procedure empties the principal slot
    (settings invalid-main-px), a `zd_invalid` principal diagnosis is invalid (0000);
  * split tokens: WITH_MCC -> <has-mcc/>, WITH_CC -> MCC or CC, NO_CC/ADRG_ONLY ->
    always; the exclusion groups are the codemap values.
A data quirk is kept, not corrected (the two MDCR entries ALK/AILD that are not codes).

Usage: tools/chs2xml.py RULE_DATA_DIR GROUPER_SPECS_DIR
"""
import json
import os
import re
import sys
from xml.sax.saxutils import escape, quoteattr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from opendrg2xml import wrap_codes  # noqa: E402

PRE_MDC = ["MDCA", "MDCP", "MDCY", "MDCZ"]
SEX_SKIP = {"MDCM": "2", "MDCN": "1"}     # MDC -> the sex that skips it
SOURCE = ("qweaszxcdf/CHS-DRG-Grouper src/data (saved under "
          "reference-data/chs-drg-src/qweaszxcdf; commits in its README)")


def load(root, rel):
    with open(os.path.join(root, rel), encoding="utf-8") as f:
        return json.load(f)


def codes_elem(tag, codes, indent="    "):
    return "%s<%s>%s</%s>\n" % (indent, tag, wrap_codes(codes, indent + "  "), tag)


def codeset(sid, kind, codes, comment=None):
    head = "  <!-- %s -->\n" % escape(comment) if comment else ""
    return '%s  <codeset id="%s" kind="%s">\n%s  </codeset>\n' % (
        head, sid, kind, codes_elem("codes", codes))


def codemap(mid, kind, table, shift=0):
    """{code: group-id string} -> <codemap> with one <group> per id + shift (ascending)."""
    groups = {}
    for code, g in table.items():
        groups.setdefault(int(g) + shift, []).append(code)
    out = ['  <codemap id="%s" kind="%s">\n' % (mid, kind)]
    for g in sorted(groups):
        out.append('    <group value="%d">%s</group>\n'
                   % (g, wrap_codes(sorted(groups[g]), "      ")))
    out.append("  </codemap>\n")
    return "".join(out)


def derived_set(sid, kind, base, base_codes, codes, comment):
    """A code set written as base= plus what it adds and removes."""
    add = sorted(set(codes) - set(base_codes))
    drop = sorted(set(base_codes) - set(codes))
    body = (codes_elem("codes", add) if add else "") + (codes_elem("remove", drop) if drop else "")
    return '  <!-- %s: %d codes, %d added to and %d removed from %s -->\n  <codeset id="%s" kind="%s" base="%s">\n%s  </codeset>\n' % (
        escape(comment), len(set(codes)), len(add), len(drop), base, sid, kind, base, body)


def read_dat(path):
    """code<TAB>name lines -> {code: name}, in file order."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                c, n = line.rstrip("\n").split("\t")
                out[c] = n
    return out


# ------------------------------------------------------------------ sections

def section_role(name):
    """Section name -> (condition element, kind) or None when it tests nothing."""
    if "诊断" in name:
        kind = "dx"
    elif "手术" in name or "操作" in name:
        kind = "px"
    else:
        return None
    pos = "main" if "主要" in name else "secondary" if "其他" in name else "any"
    return "%s-%s" % (pos, kind), kind


def section_id(adrg, name):
    role = section_role(name)
    num = re.sub(r"\D", "", name)
    return "%s.%s%s" % (adrg, role[0], "-" + num if num else "")


class Rule:
    """One ADRG rule of adrg_rules.json with its section sets."""

    def __init__(self, entry):
        self.code = entry["code"]
        self.name = entry["name"]
        self.rule = entry["rule"]
        self.sections = {}          # name -> (set id, element, kind, codes)
        for name, codes in self.rule["sections"].items():
            role = section_role(name)
            if role is None:
                raise SystemExit("%s: section %r tests nothing" % (self.code, name))
            sid = section_id(self.code, name)
            assert sid not in [v[0] for v in self.sections.values()], sid
            self.sections[name] = (sid, role[0], role[1], codes)

    def px_sets(self):
        return [v[0] for v in self.sections.values() if v[2] == "px" and v[3]]

    def test(self, name):
        sid, elem, _, codes = self.sections[name]
        if not codes:
            return "<false/><!-- section %s is empty in the rule data -->" % escape(name)
        return '<%s in="%s"/>' % (elem, sid)


def join(op, parts):
    parts = [p for p in parts if p]
    if len(parts) == 1:
        return parts[0]
    return "<%s>%s</%s>" % (op, "".join(parts), op)


def rpn_cond(rule):
    """The _logicRPN program as one condition (None when the rule never matches)."""
    r = rule.rule
    if r.get("_logicCompileError") or not r.get("_logicRPN"):
        return None
    stack = []
    for tok in r["_logicRPN"]:
        if isinstance(tok, dict):
            name = tok["name"]
            stack.append(rule.test(name) if name in rule.sections else "<false/>")
        elif tok == "!":
            stack.append("<not>%s</not>" % stack.pop())
        else:
            b, a = stack.pop(), stack.pop()
            stack.append(join("all" if tok == "&&" else "any", [a, b]))
    return stack[0] if len(stack) == 1 else None


def default_cond(rule):
    dx = [rule.test(n) for n, v in rule.sections.items() if v[2] == "dx"]
    px = [rule.test(n) for n, v in rule.sections.items() if v[2] == "px"]
    if not dx and not px:
        return "<false/>"
    return join("all", [join("any", dx) if dx else None, join("any", px) if px else None])


def rule_cond(rule, rules):
    """The ADRG's own condition, first applicable flag first (engine order)."""
    r = rule.rule
    if r.get("intensiveCare"):
        raise SystemExit("%s: intensiveCare needs an input field we do not have" % rule.code)
    if r.get("requiredReferencedADRGs"):
        return join("all", [join("any", ['<any-px in="%s"/>' % s for s in rules[a].px_sets()])
                            for a in r["requiredReferencedADRGs"]])
    if r.get("referencedADRGs"):
        return join("any", ['<main-px in="%s"/>' % s
                            for a in r["referencedADRGs"] for s in rules[a].px_sets()])
    if r.get("anyProcedureRequired"):
        return "<has-main-px/>"
    if r.get("zeroProceduresRequired"):
        return "<true/>"
    if r.get("requiredProcedureGroups"):
        return join("all", ['<any-px in="%s.group-%d"/>' % (rule.code, i + 1)
                            for i in range(len(r["requiredProcedureGroups"]))])
    if r.get("logic"):
        return rpn_cond(rule) or "<false/>"
    return default_cond(rule)


# ------------------------------------------------------------------ MDCP names

WEIGHT_OPS = [("小于", "lt"), ("＜", "lt"), ("<", "lt"), ("以下", "le"), ("不超过", "le"),
              ("≤", "le"), ("大于", "gt"), ("超过", "gt"), ("＞", "gt"), (">", "gt"),
              ("及以上", "ge"), ("以上", "ge"), ("≥", "ge")]


def weight_limits(text, field):
    """The limits a newborn ADRG name writes after 出生体重 (e.g. ＜1500g, 1500-1999g)."""
    m = re.search(r"(\d+)\s*[-－—–]\s*(\d+)", text)
    if m:
        return ['<cmp field="%s" op="ge" value="%s"/>' % (field, m.group(1)),
                '<cmp field="%s" op="le" value="%s"/>' % (field, m.group(2))]
    best = None
    for word, op in WEIGHT_OPS:
        m = re.search(re.escape(word) + r"\s*(\d+)|(\d+)\s*g?\s*" + re.escape(word), text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), op, m.group(1) or m.group(2))
    if best is None:
        raise SystemExit("no weight limit in %r" % text)
    return ['<cmp field="%s" op="%s" value="%s"/>' % (field, best[1], best[2])]


def newborn_limits(rule):
    """MDCP's extra conditions, read from the ADRG name as the engine does."""
    name = rule.name
    if "29天≤出生年龄＜1周岁" in name:
        out = ['<cmp field="age_days" op="ge" value="29"/>', "<not><has-main-px/></not>"]
    else:
        out = ['<cmp field="age_days" op="lt" value="29"/>']
    if "入院体重" in name:
        raise SystemExit("%s: admission weight is not an input field yet" % rule.code)
    i = name.find("出生体重")
    if i >= 0:
        out += weight_limits(name[i + 4:], "birth_weight")
    return out


# ------------------------------------------------------------------ DRG splits

def split_cond(conds, code):
    out = []
    for t in conds:
        if t in ("ADRG_ONLY", "NO_CC"):
            continue
        if t == "WITH_MCC":
            out.append("<has-mcc/>")
        elif t == "WITH_CC":
            out.append("<any><has-mcc/><has-cc/></any>")
        else:
            raise SystemExit("%s: split token %s is not converted" % (code, t))
    return join("all", out) if out else None


# ------------------------------------------------------------------ writers

def write_lib(common, out, px_missing):
    mdc = load(common, "generated/mdc_rules.json")
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n',
             "<!-- generated by tools/chs2xml.py from %s: drg-common/chs-2.0 -->\n" % SOURCE,
             '<drg-library xmlns="urn:x-drg:spec:1">\n',
             "  <import href=\"px-names.xml\"/>\n",
             "  <!-- procedure codes of the 2.0 rules that the shared dictionary lacks "
             "(no names in the rule data) -->\n",
             '  <dictionary id="chs-2.0.px" kind="px" base="px-names.a">\n']
    parts += ['    <e c=%s n=""/>\n' % quoteattr(c) for c in px_missing]
    parts.append("  </dictionary>\n")
    for m in mdc:
        if m.get("identifyingDiagnoses"):
            parts.append(codeset("chs-2.0.%s.dx" % m["code"], "dx", m["identifyingDiagnoses"],
                                 "%s %s: identifying principal diagnoses" % (m["code"], m["name"])))
    regions = mdc[-1]["mdczCategories"]
    assert mdc[-1]["code"] == "MDCZ"
    parts.append("  <!-- MDCZ trauma regions: %s -->\n" % "; ".join(
        "%d %s" % (i + 1, r) for i, r in enumerate(regions)))
    parts.append('  <codemap id="chs-2.0.trauma" kind="dx">\n')
    for i, (region, codes) in enumerate(regions.items()):
        parts.append('    <group value="%d" label=%s>%s</group>\n'
                     % (i + 1, quoteattr(region), wrap_codes(codes, "      ")))
    parts.append("  </codemap>\n")
    parts.append(codeset("chs-2.0.MDCZ.dx", "dx", sorted({c for v in regions.values() for c in v}),
                         "MDCZ: a principal diagnosis in some trauma region"))
    for name, kind in (("mcc", "dx"), ("cc", "dx"), ("cce", "dx")):
        parts.append("  <!-- %s_codes.json: code -> exclusion group -->\n" % name)
        parts.append(codemap("chs-2.0.%s" % name, kind, load(common, "generated/%s_codes.json" % name)))
    parts.append(codeset("chs-2.0.zd-invalid", "dx", sorted(load(common, "generated/zd_invalid.json")),
                         "zd_invalid.json: not valid as the principal diagnosis"))
    parts.append(codeset("chs-2.0.ss-invalid", "px", sorted(load(common, "generated/ss_invalid.json")),
                         "ss_invalid.json: not valid as the principal procedure"))
    parts.append("</drg-library>\n")
    with open(os.path.join(out, "lib", "chs-2.0.xml"), "w", encoding="utf-8") as f:
        f.write("".join(parts))
    return [m["code"] for m in mdc], {m["code"]: m["name"] for m in mdc}


CHECKS = [
    ("sex", "性别必须为 1 或 2: {sex}", None,
     '<all><present field="sex"/><not><in field="sex" values="1 2"/></not></all>'),
    ("age", "年龄不能为负: {age}", None, '<cmp field="age" op="lt" value="0"/>'),
    ("age-days", "日龄不能为负: {age_days}", None, '<cmp field="age_days" op="lt" value="0"/>'),
    ("birth-weight", "出生体重至少 1 克: {birth_weight}", None,
     '<cmp field="birth_weight" op="lt" value="1"/>'),
    ("icu-hours", "ICU 时长不能为负: {icu_hours}", None, '<cmp field="icu_hours" op="lt" value="0"/>'),
    ("los", "住院天数不能为负: {los}", None, '<cmp field="los" op="lt" value="0"/>'),
    ("age-and-days", "给出日龄时年龄须为 0: {age}", None,
     '<all><present field="age_days"/><nonzero field="age"/></all>'),
    ("no-dx", "编码不规范：无主要诊断", "0000", '<count of="dx" op="eq" value="0"/>'),
    ("main-dx-invalid", "编码不规范：主要诊断不能作为主诊断", "0000",
     '<main-dx in="chs-2.0.zd-invalid"/>'),
]


def adrg_xml(rule, rules, drgs, ordinary, names):
    code = rule.code
    surgical = code[1] <= "Q"
    when = [rule_cond(rule, rules)]
    if code[0] == "P":
        when = newborn_limits(rule) + when
    if ordinary and surgical:
        when = ["<has-main-px/>"] + when
    out = ['  <adrg id="%s" code="%s" label=%s on-no-split="adrg">\n'
           % (code, code, quoteattr(rule.name)),
           "    <when>%s</when>\n" % join("all", when)]
    if not surgical:
        out.append('    <qy code="%sQY"><has-main-px/></qy>\n' % code[0])
    for d in drgs:
        c = split_cond(d["conditions"], d["drgCode"])
        label = quoteattr(names.get(d["drgCode"], d["drgName"]))
        out.append('    <drg code="%s" label=%s%s\n' % (
            d["drgCode"], label, ">%s</drg>" % c if c else "/>"))
    out.append("  </adrg>\n")
    return "".join(out)


def rule_sets(rule):
    out = []
    for name, (sid, _, kind, codes) in rule.sections.items():
        if codes:
            out.append(codeset(sid, kind, codes, "%s %s" % (rule.code, name)))
    for i, g in enumerate(rule.rule.get("requiredProcedureGroups") or []):
        out.append(codeset("%s.group-%d" % (rule.code, i + 1), "px", g,
                           "%s required procedure group %d" % (rule.code, i + 1)))
    return "".join(out)


def enter_cond(code, mdc_names):
    if code == "MDCA":
        return "<true/>"
    if code == "MDCP":
        return '<cmp field="age_days" op="lt" value="366"/>'
    if code == "MDCY":
        return '<any-dx in="chs-2.0.MDCY.dx"/>'
    if code == "MDCZ":
        return ('<all><main-dx in="chs-2.0.MDCZ.dx"/><distinct-sites map="chs-2.0.trauma" min="2"/>'
                '</all>')
    cond = '<main-dx in="chs-2.0.%s.dx"/>' % code
    if code in SEX_SKIP:
        cond = '<all>%s<not><in field="sex" values="%s"/></not></all>' % (cond, SEX_SKIP[code])
    return cond


def write_spec(data, out, mdcs, mdc_names):
    common = os.path.join(data, "drg-common/chs-2.0")
    edition = os.path.join(data, "versions/chs-drg-2.0")
    rules = {e["code"]: Rule(e) for e in load(common, "generated/adrg_rules.json")}
    order = list(rules)
    drg_rules = load(edition, "generated/drg_rules.json")
    names = read_dat(os.path.join(edition, "raw/DRG.dat"))
    by_adrg = {}
    for d in drg_rules:
        by_adrg.setdefault(d["adrgCode"], []).append(d)
    assert set(by_adrg) == set(rules), "drg_rules and adrg_rules name different ADRGs"

    p = ['<?xml version="1.0" encoding="UTF-8"?>\n',
         "<!-- generated by tools/chs2xml.py from %s: drg-common/chs-2.0, versions/chs-drg-2.0.\n"
         "     CHS-DRG 2.0 (NHSA, 2024-07-23): %d MDCs, %d ADRGs, %d DRGs.  Semantics as in\n"
         "     docs/spec-format.md and the header of tools/chs2xml.py. -->\n"
         % (SOURCE, len(mdcs), len(rules), len(drg_rules)),
         '<drg-spec xmlns="urn:x-drg:spec:1" id="chs-drg-2.0" title="CHS-DRG 2.0">\n',
         '  <source rules="NHSA CHS-DRG 2.0 (2024-07-23)" data=%s/>\n' % quoteattr(SOURCE),
         '  <import href="lib/dx-names.xml"/>\n',
         '  <import href="lib/chs-2.0.xml"/>\n',
         '  <settings dx-dictionary="dx-names.a" px-dictionary="chs-2.0.px" mcc="chs-2.0.mcc" '
         'cc="chs-2.0.cc"\n            cc-exclusion="chs-2.0.cce" drg-names="chs-drg-2.0.names" '
         'invalid-main-px="chs-2.0.ss-invalid" qy-adrg="code"/>\n',
         "  <outcomes>\n"
         '    <outcome status="ungroupable" mdc="" adrg="" drg="0000"/>\n'
         '    <outcome status="invalid" mdc="" adrg="" drg=""/>\n'
         "  </outcomes>\n",
         "  <validation>\n"]
    for cid, msg, drg, cond in CHECKS:
        p.append('    <check id="%s" message=%s%s>%s</check>\n' % (
            cid, quoteattr(msg), ' drg="%s"' % drg if drg else "", cond))
    p.append("  </validation>\n")
    ordinary = [m for m in mdcs if m not in PRE_MDC]
    p.append("  <mdc-order>%s</mdc-order>\n" % " ".join(PRE_MDC + ordinary))
    for m in PRE_MDC + ordinary:
        final = "" if m in PRE_MDC else ' on-no-adrg="ungroupable"'
        p.append('  <mdc code="%s" label=%s%s>\n    <enter>%s</enter>\n' % (
            m, quoteattr(mdc_names[m]), final, enter_cond(m, mdc_names)))
        p += ['    <try adrg="%s"/>\n' % a for a in order if a[0] == m[3]]
        p.append("  </mdc>\n")
    for a in order:
        p.append(adrg_xml(rules[a], rules, by_adrg[a], a[0] not in "APYZ", names))
    for a in order:
        p.append(rule_sets(rules[a]))
    p.append('  <names id="chs-drg-2.0.names">\n')
    p += ['    <e c="%s" n=%s/>\n' % (d["drgCode"], quoteattr(names[d["drgCode"]])) for d in drg_rules]
    p += ['    <e c="%sQY" n="与主要诊断无关的手术"/>\n' % m[3] for m in mdcs]
    p.append("  </names>\n</drg-spec>\n")
    with open(os.path.join(out, "chs-drg-2.0.xml"), "w", encoding="utf-8") as f:
        f.write("".join(p))
    return rules


def write_lib3(data, out, known_dx, known_px):
    """lib/chs-3.0.xml: the 3.0 common package and edition lists, each 2.0 table
    that 3.0 only edits written as changes to it.  The 3.0 ADRG rules are not in
    the rule data, so there is no chs-drg-3.0 spec to write yet."""
    c2 = os.path.join(data, "drg-common/chs-2.0/generated")
    c3 = os.path.join(data, "drg-common/chs-3.0")
    ed = os.path.join(data, "versions/chs-drg-3.0")
    cfg = load(c3, "config.json")["strategy"]
    m2 = {m["code"]: m for m in load(c2, "mdc_rules.json")}
    m3 = load(c3, "generated/mdc_rules.json")
    hrp = read_dat(os.path.join(ed, "raw/HIGH_RISK_PREGNANCY.dat"))
    robot = read_dat(os.path.join(ed, "raw/ROBOT_ASSISTED_SURGERY.dat"))
    tables = {n: load(c3, "generated/%s.json" % n) for n in
              ("mcc_codes", "cc_codes", "cce_codes", "zd_invalid", "ss_invalid", "qy_diff_codes")}
    dx_all = set(hrp) | set(tables["mcc_codes"]) | set(tables["cc_codes"]) | set(tables["cce_codes"])
    dx_all |= set(tables["zd_invalid"])
    for m in m3:
        dx_all |= set(m.get("identifyingDiagnoses", []))
        for v in m.get("mdczCategories", {}).values():
            dx_all |= set(v)
    px_all = set(tables["ss_invalid"]) | set(tables["qy_diff_codes"]) | set(robot)
    p = ['<?xml version="1.0" encoding="UTF-8"?>\n',
         "<!-- generated by tools/chs2xml.py from %s: drg-common/chs-3.0 and the lists of\n"
         "     versions/chs-drg-3.0 (CHS-DRG 3.0, 医保发〔2026〕22号).  The 3.0 ADRG rules\n"
         "     (adrg_rules.json) are not in the rule data: no chs-drg-3.0 spec uses these\n"
         "     tables yet (tests/unit/test_specs.c checks them). -->\n" % SOURCE,
         '<drg-library xmlns="urn:x-drg:spec:1">\n',
         '  <import href="dx-names.xml"/>\n  <import href="chs-2.0.xml"/>\n',
         '  <dictionary id="chs-3.0.dx" kind="dx" base="dx-names.a">\n']
    p += ['    <e c=%s n=%s/>\n' % (quoteattr(c), quoteattr(hrp.get(c, ""))) for c in sorted(dx_all - known_dx)]
    p.append('  </dictionary>\n  <dictionary id="chs-3.0.px" kind="px" base="chs-2.0.px">\n')
    p += ['    <e c=%s n=%s/>\n' % (quoteattr(c), quoteattr(robot.get(c, ""))) for c in sorted(px_all - known_px)]
    p.append("  </dictionary>\n")
    for m in m3:
        if m.get("identifyingDiagnoses"):
            p.append(derived_set("chs-3.0.%s.dx" % m["code"], "dx", "chs-2.0.%s.dx" % m["code"],
                                 m2[m["code"]]["identifyingDiagnoses"], m["identifyingDiagnoses"],
                                 "%s %s: identifying principal diagnoses" % (m["code"], m["name"])))
    z2, z3 = m2["MDCZ"]["mdczCategories"], m3[-1]["mdczCategories"]
    assert list(z2) == list(z3)
    old = {c: i + 1 for i, v in enumerate(z2.values()) for c in v}
    new = {c: i + 1 for i, v in enumerate(z3.values()) for c in v}
    p.append('  <!-- MDCZ trauma regions (same 9 as 2.0): changes to chs-2.0.trauma -->\n'
             '  <codemap id="chs-3.0.trauma" kind="dx" base="chs-2.0.trauma">\n')
    for g in range(1, len(z3) + 1):
        codes = sorted(c for c, v in new.items() if v == g and old.get(c) != g)
        if codes:
            p.append('    <group value="%d">%s</group>\n' % (g, wrap_codes(codes, "      ")))
    gone = sorted(set(old) - set(new))
    if gone:
        p.append(codes_elem("remove", gone))
    p.append("  </codemap>\n")
    p.append(derived_set("chs-3.0.MDCZ.dx", "dx", "chs-2.0.MDCZ.dx", list(old), list(new),
                         "MDCZ: a principal diagnosis in some trauma region"))
    for name in ("mcc", "cc", "cce"):
        p.append("  <!-- %s_codes.json (3.0, renumbered): value = exclusion group + 1, since 3.0 has a\n"
                 "       CC group 0 (Z94.*) and a map value 0 means \"not in the map\" -->\n" % name)
        p.append(codemap("chs-3.0.%s" % name, "dx", tables["%s_codes" % name], shift=1))
    z2i = load(c2, "zd_invalid.json")
    p.append(derived_set("chs-3.0.zd-invalid", "dx", "chs-2.0.zd-invalid", z2i, tables["zd_invalid"],
                         "zd_invalid.json: not valid as the principal diagnosis"))
    allowed = cfg.get("allowedInvalidPrincipalProcedures", [])
    ss3 = [c for c in tables["ss_invalid"] if c not in allowed]
    p.append(derived_set("chs-3.0.ss-invalid", "px", "chs-2.0.ss-invalid", load(c2, "ss_invalid.json"),
                         ss3, "ss_invalid.json: not valid as the principal procedure (exempt: %s)"
                         % " ".join(allowed)))
    p.append(codeset("chs-3.0.qy-diff", "px", sorted(tables["qy_diff_codes"]),
                     "qy_diff_codes.json: not a procedure for QY, anyProcedureRequired or PV1"))
    p.append(codeset("chs-3.0.high-risk-pregnancy", "dx", list(hrp),
                     "HIGH_RISK_PREGNANCY.dat: as principal diagnosis, MCC in OB1 OB2"))
    p.append(codeset("chs-3.0.robot", "px", list(robot),
                     "ROBOT_ASSISTED_SURGERY.dat: anywhere, the ...0 DRG of %s"
                     % " ".join(load(ed, "config.json")["strategy"]["robotAssistedSurgery"])))
    p.append("</drg-library>\n")
    with open(os.path.join(out, "lib", "chs-3.0.xml"), "w", encoding="utf-8") as f:
        f.write("".join(p))


def px_codes(common):
    """Every procedure code the 2.0 rules name."""
    codes = set(load(common, "generated/ss_invalid.json"))
    for e in load(common, "generated/adrg_rules.json"):
        r = e["rule"]
        for name, cs in r["sections"].items():
            if section_role(name)[1] == "px":
                codes.update(cs)
        for g in r.get("requiredProcedureGroups") or []:
            codes.update(g)
    return codes


def first_dictionary(path, did):
    """The codes of dictionary did, the first (base) one of a names library."""
    with open(path, encoding="utf-8") as f:
        return set(re.findall(r'<e c="([^"]*)"', f.read().split('base="%s"' % did)[0]))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    data, out = sys.argv[1], sys.argv[2]
    common = os.path.join(data, "drg-common/chs-2.0")
    known_px = first_dictionary(os.path.join(out, "lib", "px-names.xml"), "px-names.a")
    known_dx = first_dictionary(os.path.join(out, "lib", "dx-names.xml"), "dx-names.a")
    missing = sorted(px_codes(common) - known_px)
    mdcs, mdc_names = write_lib(common, out, missing)
    rules = write_spec(data, out, mdcs, mdc_names)
    write_lib3(data, out, known_dx, known_px | set(missing))
    print("wrote %s/lib/chs-2.0.xml and %s/chs-drg-2.0.xml: %d MDCs, %d ADRGs; "
          "%d procedure codes added to the dictionary; %s/lib/chs-3.0.xml (3.0 tables; no 3.0 "
          "ADRG rules in the data)" % (out, out, len(mdcs), len(rules), len(missing), out))


if __name__ == "__main__":
    main()
