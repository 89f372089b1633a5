#!/usr/bin/env python3
"""Writes the long (SDTM-like) and REDCap-style exports of the CAR-T example
cohort, and their mappings, from examples/car_t_visits.jsonl:

    python3 scripts/car_t_examples.py

examples/car_t_long.csv + car_t_long.mapping.json and
examples/car_t_redcap.csv + car_t_redcap.mapping.json. This script only
re-lays the records out; it applies no scoring rule. Whether the files say
the same as the JSON Lines is checked independently, by the tool: the CLI
tests (cli/tests/it/mapping.rs) score and summarise all three and require
identical output.
"""

import csv
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

# The 24 SLEDAI-2K descriptors in form order (docs/reference.md section 1;
# `sledai descriptors`). The sponsor's codes are SLEDAI01..SLEDAI24, the
# REDCap checkbox codes 1..24, in this order.
DESCRIPTORS = [
    "seizure", "psychosis", "organic_brain_syndrome", "visual_disturbance",
    "cranial_nerve_disorder", "lupus_headache", "cva", "vasculitis",
    "arthritis", "myositis", "urinary_casts", "hematuria", "proteinuria",
    "pyuria", "rash", "alopecia", "mucosal_ulcers", "pleurisy", "pericarditis",
    "low_complement", "increased_dna_binding", "fever", "thrombocytopenia",
    "leukopenia",
]
FLAGS = {  # sponsor test code / REDCap field -> visit field
    "HEMANEM": "hemolytic_anemia",
    "GIACT": "gastrointestinal_activity",
    "MAINTTOL": "maintenance_tolerated",
    "INVDRUG": "investigational_drug",
    "BASEFL": "baseline",
}
DRUGS = {"prednisone": "GCPRED", "prednisolone": "GCPRDL", "methylprednisolone": "GCMPRD"}
DRUG_CODES = {"prednisone": "1", "prednisolone": "2", "methylprednisolone": "3"}


def findings(rec):
    """descriptor -> True/False/None (not assessed), for all 24."""
    if "present" in rec:
        return {d: d in rec["present"] for d in DESCRIPTORS}
    return {d: rec["descriptors"].get(d) for d in DESCRIPTORS}


def number(x):
    return str(int(x)) if float(x).is_integer() else str(x)


def yn(b):
    return {True: "Y", False: "N", None: "NOT DONE"}[b]


def long_rows(records):
    rows = []
    for r in records:
        base = [r["patient"], r["id"], r["date"], r.get("reference_date", "")]
        items = [(f"SLEDAI{i + 1:02d}", yn(b)) for i, b in enumerate(findings(r).values())]
        # The sponsor's own total: not an input, listed under long.ignore.
        items.append(("SLEDAITOT", ""))
        items.append(("PGA", number(r["pga"])))
        if "prednisone_mg_per_day" in r:
            items.append(("PREDDOSE", number(r["prednisone_mg_per_day"])))
        for g in r.get("glucocorticoids", []):
            items.append((DRUGS[g["drug"]], number(g["mg_per_day"])))
        for code, field in FLAGS.items():
            if field in r:
                items.append((code, yn(r[field])))
        for code, field in (("NEWBILA", "new_bilag_a"), ("NEWBILB", "new_bilag_b")):
            if field in r:
                items.append((code, str(r[field])))
        rows.extend(base + [code, value] for code, value in items)
    return rows


LONG_MAPPING = {
    "layout": "long",
    "rename": {"USUBJID": "patient", "VISIT": "id", "QSDTC": "date", "RFXSTDTC": "reference_date"},
    "long": {
        "test": "QSTESTCD",
        "result": "QSORRES",
        "tests": {
            **{f"SLEDAI{i + 1:02d}": d for i, d in enumerate(DESCRIPTORS)},
            "PGA": "pga",
            "PREDDOSE": "prednisone_mg_per_day",
            **{code: f"glucocorticoids.{drug}" for drug, code in DRUGS.items()},
            **FLAGS,
            "NEWBILA": "new_bilag_a",
            "NEWBILB": "new_bilag_b",
        },
        "values": {"Y": "1", "N": "0", "NOT DONE": ""},
        "ignore": ["SLEDAITOT"],
    },
}


def event(rec):
    suffix = rec["id"].split("-", 1)[1]
    return "screening_arm_1" if suffix == "scr" else f"day_{suffix[1:]}_arm_1"


REDCAP_FIELDS = ["visit_date", "infusion_date", "baseline_visit", "pga_score", "pred_mg",
                 "hemolytic_anemia", "gastrointestinal_activity", "maintenance_tolerated",
                 "investigational_drug", "new_bilag_a", "new_bilag_b"]


def redcap_rows(records):
    header = (["record_id", "redcap_event_name", "redcap_repeat_instrument",
               "redcap_repeat_instance", "visit_id"] + REDCAP_FIELDS
              + [f"sledai___{i + 1}" for i in range(24)]
              + [f"sledai_nd___{i + 1}" for i in range(24)]
              + ["sledai_complete", "gc_drug", "gc_dose"])
    rows = []
    b01 = {True: "1", False: "0"}
    for r in records:
        f = findings(r)
        row = {k: "" for k in header}
        row.update({
            "record_id": r["patient"], "redcap_event_name": event(r), "visit_id": r["id"],
            "visit_date": r["date"], "infusion_date": r.get("reference_date", ""),
            "baseline_visit": b01.get(r.get("baseline"), ""), "pga_score": number(r["pga"]),
            "pred_mg": number(r["prednisone_mg_per_day"]) if "prednisone_mg_per_day" in r else "",
            "sledai_complete": "2",
        })
        for field in FLAGS.values():
            if field != "baseline" and field in r:
                row[field] = b01[r[field]]
        for field in ("new_bilag_a", "new_bilag_b"):
            if field in r:
                row[field] = str(r[field])
        for i, d in enumerate(DESCRIPTORS):
            row[f"sledai___{i + 1}"] = "1" if f[d] else "0"
            row[f"sledai_nd___{i + 1}"] = "1" if f[d] is None else "0"
        rows.append([row[k] for k in header])
        # Each drug of a regimen: one instance of the repeat instrument.
        for n, g in enumerate(r.get("glucocorticoids", []), start=1):
            rep = {k: "" for k in header}
            rep.update({"record_id": r["patient"], "redcap_event_name": event(r),
                        "redcap_repeat_instrument": "steroids", "redcap_repeat_instance": str(n),
                        "gc_drug": DRUG_CODES[g["drug"]], "gc_dose": number(g["mg_per_day"])})
            rows.append([rep[k] for k in header])
    return header, rows


REDCAP_MAPPING = {
    "layout": "redcap",
    "rename": {"record_id": "patient", "visit_id": "id", "visit_date": "date",
               "infusion_date": "reference_date", "baseline_visit": "baseline",
               "pga_score": "pga", "pred_mg": "prednisone_mg_per_day"},
    "ignore_columns": ["sledai_complete"],
    "redcap": {
        "checkboxes": {
            "sledai": {"codes": {str(i + 1): d for i, d in enumerate(DESCRIPTORS)}},
            "sledai_nd": {"marks": "not_assessed",
                          "codes": {str(i + 1): d for i, d in enumerate(DESCRIPTORS)}},
        },
        "repeat_instruments": {
            "steroids": {"drug": "gc_drug", "mg_per_day": "gc_dose",
                         "drugs": {code: drug for drug, code in DRUG_CODES.items()}},
        },
    },
}


def main():
    records = [json.loads(line) for line in (EXAMPLES / "car_t_visits.jsonl").read_text().splitlines() if line.strip()]
    with open(EXAMPLES / "car_t_long.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["USUBJID", "VISIT", "QSDTC", "RFXSTDTC", "QSTESTCD", "QSORRES"])
        w.writerows(long_rows(records))
    header, rows = redcap_rows(records)
    with open(EXAMPLES / "car_t_redcap.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    for name, m in (("car_t_long.mapping.json", LONG_MAPPING), ("car_t_redcap.mapping.json", REDCAP_MAPPING)):
        (EXAMPLES / name).write_text(json.dumps(m, indent=2) + "\n")


if __name__ == "__main__":
    main()
