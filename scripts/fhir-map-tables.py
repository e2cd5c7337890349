#!/usr/bin/env python3
# Regenerates the code-list tables of docs/fhir.md from knowledge/fhir-map.json (between the
# "BEGIN generated" / "END generated" markers). Usage: scripts/fhir-map-tables.py docs/fhir.md
# (without an argument: print the tables). src/fhir/code_map_test.cc checks that every code of the
# file appears in docs/fhir.md.
import json, sys
import os
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
m = json.load(open(os.path.join(root, 'knowledge/fhir-map.json')))
SYS = {"http://hl7.org/fhir/sid/icd-10-cm": "ICD-10-CM", "http://snomed.info/sct": "SNOMED CT",
       "http://loinc.org": "LOINC", "http://www.nlm.nih.gov/research/umls/rxnorm": "RxNorm",
       "http://terminology.hl7.org/CodeSystem/v3-ActCode": "v3-ActCode", "http://www.ama-assn.org/go/cpt": "CPT",
       "https://calfdvt.org/fhir/CodeSystem/calfdvt": "calfdvt",
       "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation": "v3-ObservationInterpretation"}
def code(e):
    c = "`%s`" % e["code"]
    if e.get("match") == "prefix": c = "`%s`…" % e["code"]
    if e.get("match") == "range": c = "`%s`–`%s`" % (e["code"], e["to"])
    return c + (" (verify)" if e.get("verify") else "")
def table(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(str(x) for x in r) + " |" for r in rows]
    return "\n".join(out)
o = []
o.append("#### Conditions (`conditions`)\n")
o.append(table(["system", "code", "meaning", "clinicalStatus", "also", "display"],
  [[SYS[e["system"]], code(e), e["meaning"], "not needed" if e.get("status") == "any" else "required",
    ", ".join(x for x in [("vein " + e["vein"]) if "vein" in e else "", ("bleeding factor " + e["bleeding_factor"]) if "bleeding_factor" in e else "", "side from 6th character" if e.get("side_from_last_character") else ""] if x),
    e.get("display", "")] for e in m["conditions"]]))
o.append("\n#### Vein body sites (`veins`)\n")
o.append(table(["system", "code", "vein", "note"], [[SYS[e["system"]], code(e), "`%s`" % e["vein"], e.get("note", "")] for e in m["veins"]]))
o.append("\n#### Venous ultrasound reports (`imaging.reports`)\n")
o.append(table(["system", "code", "protocol", "side", "display"], [[SYS[e["system"]], code(e), e.get("protocol", "— (not said)"), e.get("side", "—"), e.get("display", "")] for e in m["imaging"]["reports"]]))
im = m["imaging"]
o.append("\n#### Finding codes (`imaging`)\n")
rows = [[k, SYS[im[k]["system"]], "`%s`" % im[k]["code"], im[k].get("display", "")] for k in ["finding", "length", "diameter", "distance", "acuity", "laterality"]]
for k in ["present", "absent", "acute", "chronic", "left", "right", "no_thrombus"]:
    rows += [[k, SYS[e["system"]], "`%s`" % e["code"], e.get("display", "")] for e in im[k]]
o.append(table(["role", "system", "code", "display"], rows))
o.append("\nUnits: length and distance %s; diameter %s (UCUM; factor to cm / mm)." % (
  ", ".join("`%s` ×%g" % (u["unit"], u["factor"]) for u in im["length_units"]),
  ", ".join("`%s` ×%g" % (u["unit"], u["factor"]) for u in im["diameter_units"])))
d = m["d_dimer"]
o.append("\n#### D-dimer (`d_dimer`)\n")
o.append(table(["system", "code", "basis", "display"], [[SYS[e["system"]], code(e), e["basis"].upper(), e.get("display", "")] for e in d["codes"]]))
o.append("\nMass units to ng/mL: %s. DDU → FEU: ×%g. Output unit: `%s`. Interpretation positive: %s; negative: %s." % (
  ", ".join("`%s` ×%g" % (u["unit"], u["factor"]) for u in d["units"]), d["ddu_to_feu"], d["unit_out"],
  ", ".join("`%s`" % e["code"] for e in d["positive"]), ", ".join("`%s`" % e["code"] for e in d["negative"])))
o.append("\n#### Other observations (`observations`, `crcl_units`, `pregnancy_values`)\n")
o.append(table(["system", "code", "meaning", "display"], [[SYS[e["system"]], code(e), e["meaning"], e.get("display", "")] for e in m["observations"]]))
o.append("")
o.append(table(["system", "code", "pregnancy", "display"], [[SYS[e["system"]], code(e), e["pregnancy"], e.get("display", "")] for e in m["pregnancy_values"]]))
o.append("\nCreatinine clearance units: %s." % ", ".join("`%s`" % u["unit"] for u in m["crcl_units"]))
o.append("\n#### Medications (`medications`)\n")
o.append(table(["system", "code", "ingredient", "meaning"], [[SYS[e["system"]], code(e), e["name"], e["meaning"]] for e in m["medications"]]))
o.append("\n#### Encounters (`encounters`) and surgery (`surgery`)\n")
o.append(table(["system", "code", "setting / meaning", "display"], [[SYS[e["system"]], code(e), e["setting"], e.get("display", "")] for e in m["encounters"]] +
  [[SYS[e["system"]], code(e), "surgical procedure", e.get("display", "")] for e in m["surgery"]]))
o.append("\n#### Attestations (`attestations`)\n")
o.append(table(["calfdvt code", "case field", "value[x]"], [["`%s`" % e["code"], "`%s`" % e["field"],
  {"history.provocation": "valueCodeableConcept: `unprovoked` `transient` `persistent`", "patient.pregnancy": "valueCodeableConcept: `none` `pregnant` `postpartum`",
   "bleeding.risk": "valueCodeableConcept: `low` `moderate` `high`", "preferences.anticoagulation": "valueCodeableConcept: `no_preference` `avoid` `prefer`"}.get(e["field"], "valueBoolean")] for e in m["attestations"]]))
text = "\n".join(o)
docs = sys.argv[1] if len(sys.argv) > 1 else None
if not docs:
    print(text)
else:
    begin, end = "<!-- BEGIN generated by scripts/fhir-map-tables.py -->", "<!-- END generated -->"
    d = open(docs).read()
    i, j = d.index(begin) + len(begin), d.index(end)
    open(docs, "w").write(d[:i] + "\n" + text + "\n" + d[j:])
