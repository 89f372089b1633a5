#!/usr/bin/env python3
"""Generate N synthetic visits as JSON Lines or CSV for the CLI benchmarks.

Usage: gen_visits.py N jsonl|csv > FILE

Deterministic (fixed seed). About 1 visit in 10 has one descriptor not
assessed, so both the exact and the range output paths are exercised.
Eight visits per patient (125,000 patients per million visits), 30 days
apart, in date order (`sledai score` requires each patient's visits in
date order), each with a PGA and a prednisone dose.
"""
import datetime
import json
import random
import sys

IDS = ("seizure psychosis organic_brain_syndrome visual_disturbance cranial_nerve_disorder "
       "lupus_headache cva vasculitis arthritis myositis urinary_casts hematuria proteinuria "
       "pyuria rash alopecia mucosal_ulcers pleurisy pericarditis low_complement "
       "increased_dna_binding fever thrombocytopenia leukopenia").split()


def main():
    n, fmt = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(20240101)
    out = sys.stdout
    if fmt == "csv":
        out.write(",".join(["id", "patient", "date", "pga", "prednisone_mg_per_day"] + IDS) + "\n")
    for i in range(n):
        present = [rng.random() < 0.08 for _ in IDS]
        missing = rng.randrange(24) if rng.random() < 0.1 else -1
        vid, pat = f"v{i}", f"P{i // 8:06d}"
        start = datetime.date(2020, 1, 1) + datetime.timedelta(days=(i // 8) % 1000)
        date = (start + datetime.timedelta(days=30 * (i % 8))).isoformat()
        pga = f"{rng.randrange(31) / 10:.1f}"
        dose = rng.choice(["0", "2.5", "5", "7.5", "10", "20"])
        if fmt == "csv":
            cells = ["" if j == missing else ("1" if p else "0") for j, p in enumerate(present)]
            out.write(f"{vid},{pat},{date},{pga},{dose}," + ",".join(cells) + "\n")
        else:
            rec = {"id": vid, "patient": pat, "date": date, "pga": float(pga),
                   "prednisone_mg_per_day": float(dose)}
            if missing >= 0:
                rec["descriptors"] = {d: (None if j == missing else p) for j, (d, p) in enumerate(zip(IDS, present))}
            else:
                rec["present"] = [d for d, p in zip(IDS, present) if p]
            out.write(json.dumps(rec, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
