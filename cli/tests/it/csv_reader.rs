//! The CSV reader against the JSON Lines reader: the same visits written as
//! a CSV file (plain lines, quoted cells, CRLF and LF line ends, blank
//! lines, in any mix) and as a JSON Lines file (read by serde, a separate
//! path) give the same `sledai score` output byte for byte. The CSV reader
//! splits plain lines itself and hands the others to the csv crate's
//! parser; this checks that the two paths read the same records.

#![allow(clippy::unwrap_used)]

use proptest::prelude::*;

use crate::common::{IDS, sledai, write};

/// One visit: patient number, day offset, PGA tenths, the descriptors
/// present, and how each line is written (quoted cells, CRLF, a blank line
/// after it).
type Visit = (u8, u16, u8, Vec<bool>, (bool, bool, bool));

fn visit() -> impl Strategy<Value = Visit> {
    (
        0u8..4,
        0u16..400,
        0u8..31,
        prop::collection::vec(prop::bool::weighted(0.1), 24),
        (any::<bool>(), any::<bool>(), prop::bool::weighted(0.2)),
    )
}

fn date(day: u16) -> String {
    // Days from 2024-01-01, within 2024-2025, by the month lengths.
    let lengths = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let (mut y, mut d) = (2024, u32::from(day));
    let mut m = 0;
    loop {
        let n = if y == 2025 && m == 1 { 28 } else { lengths[m] };
        if d < n {
            break;
        }
        d -= n;
        m += 1;
        if m == 12 {
            m = 0;
            y += 1;
        }
    }
    format!("{y}-{:02}-{:02}", m + 1, d + 1)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn csv_and_json_lines_of_the_same_visits_score_the_same(
        visits in prop::collection::vec(visit(), 1..40),
    ) {
        // One visit per patient and day, in date order per patient.
        let mut visits = visits;
        visits.sort_by_key(|v| (v.0, v.1));
        visits.dedup_by_key(|v| (v.0, v.1));
        let mut csv = format!("id,patient,date,pga,{}\n", IDS.join(","));
        let mut jsonl = String::new();
        for (i, (p, day, pga, present, (quoted, crlf, blank))) in visits.iter().enumerate() {
            let id = format!("v{i}, \"{p}\"");
            let patient = format!("P{p}");
            let pga = format!("{}.{}", pga / 10, pga % 10);
            let cells: Vec<String> = [id.clone(), patient.clone(), date(*day), pga.clone()]
                .into_iter()
                .chain(present.iter().map(|&b| if b { "1" } else { "0" }.to_owned()))
                .collect();
            let line: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(k, c)| {
                    // The id needs quotes (a comma and quotes in it); other
                    // cells are quoted when the line says so.
                    if k == 0 || *quoted {
                        format!("\"{}\"", c.replace('"', "\"\""))
                    } else {
                        c.clone()
                    }
                })
                .collect();
            csv.push_str(&line.join(","));
            csv.push_str(if *crlf { "\r\n" } else { "\n" });
            if *blank {
                csv.push('\n');
            }
            let names: Vec<String> = IDS
                .iter()
                .zip(present)
                .filter(|&(_, &b)| b)
                .map(|(n, _)| format!("\"{n}\""))
                .collect();
            jsonl.push_str(&format!(
                "{{\"id\":{},\"patient\":\"{patient}\",\"date\":\"{}\",\"pga\":{pga},\"present\":[{}]}}\n",
                serde_json::to_string(&id).unwrap(),
                date(*day),
                names.join(",")
            ));
        }
        let dir = tempfile::tempdir().unwrap();
        let c = write(&dir, "v.csv", &csv);
        let j = write(&dir, "v.jsonl", &jsonl);
        let run = |path: &std::path::Path| {
            sledai()
                .args(["score", "-q", "--output-format", "csv", "--on-error", "report"])
                .arg(path)
                .output()
                .unwrap()
        };
        let (from_csv, from_json) = (run(&c), run(&j));
        prop_assert_eq!(from_csv.status.code(), from_json.status.code());
        prop_assert_eq!(
            String::from_utf8_lossy(&from_csv.stdout),
            String::from_utf8_lossy(&from_json.stdout)
        );
        // Every visit has its row.
        prop_assert_eq!(from_csv.stdout.iter().filter(|&&b| b == b'\n').count(), visits.len() + 1);
    }
}
