//! The cell grammar at the CLI surface: every bad cell of
//! `cli/tests/golden/bad_cells.tsv` (written by hand from docs/formats.md,
//! and read by the Python tests too) stops `sledai score` with the file's
//! physical line, the column, and the message body the table gives, the
//! same body that `sledai.assess_frame` gives for the same cell.

#![allow(clippy::unwrap_used)]

use crate::common::{IDS, root, sledai, write};

/// `(column, cell, message after the column)` of the shared table.
pub(crate) fn bad_cells() -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(root().join("cli/tests/golden/bad_cells.tsv")).unwrap();
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    assert_eq!(lines.next(), Some("column\tcell\tmessage"));
    let rows: Vec<(String, String, String)> = lines
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 3, "{l}");
            (f[0].to_owned(), f[1].to_owned(), f[2].to_owned())
        })
        .collect();
    assert!(rows.len() >= 10, "the table has {} rows", rows.len());
    rows
}

/// A CSV with the 24 descriptors (all `0`) and `column`, whose first data
/// row (after a blank line, so on physical line 3) holds `cell` there.
fn csv_with(column: &str, cell: &str) -> String {
    let mut header: Vec<&str> = IDS.to_vec();
    let mut row: Vec<&str> = vec!["0"; 24];
    match IDS.iter().position(|d| *d == column) {
        Some(i) => row[i] = cell,
        None => {
            header.push(column);
            row.push(cell);
        }
    }
    format!("{}\n\n{}\n", header.join(","), row.join(","))
}

#[test]
fn every_bad_cell_names_line_column_and_the_cell_as_written() {
    let dir = tempfile::tempdir().unwrap();
    for (k, (column, cell, message)) in bad_cells().into_iter().enumerate() {
        let p = write(&dir, &format!("c{k}.csv"), csv_with(&column, &cell));
        sledai()
            .arg("score")
            .arg(&p)
            .arg("-q")
            .assert()
            .code(2)
            .stderr(format!(
                "error: {}:3: field `{column}`: {message}\n",
                p.display()
            ));
    }
}

#[test]
fn the_good_spellings_of_the_grammar_are_read_alike() {
    // Every spelling of docs/formats.md for present, absent and not
    // recorded gives what `1`, `0` and an empty cell give (rash weighs 2,
    // docs/reference.md section 1.2).
    let dir = tempfile::tempdir().unwrap();
    let score = |cell: &str| {
        let p = write(&dir, "g.csv", csv_with("rash", cell));
        let out = sledai()
            .arg("score")
            .arg(&p)
            .args(["--output-format", "csv"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{cell:?}: {out:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let row: Vec<&str> = lines.next().unwrap().split(',').collect();
        let at = |name: &str| row[header.iter().position(|h| *h == name).unwrap()].to_owned();
        [at("sledai_2k"), at("sledai_2k_min"), at("sledai_2k_max")]
    };
    // docs/cli.md: the exact total, or when incomplete an empty total and
    // the range (min: missing items absent, max: present).
    let two = ["2", "", ""].map(str::to_owned);
    let zero = ["0", "", ""].map(str::to_owned);
    let open = ["", "0", "2"].map(str::to_owned);
    for c in ["1", "true", "TRUE", "Yes", " yes ", "y", "Y"] {
        assert_eq!(score(c), two, "{c:?}");
    }
    for c in ["0", "false", "False", "NO", "n", " N "] {
        assert_eq!(score(c), zero, "{c:?}");
    }
    for c in ["", "  ", "NA", "na", "null", "NULL"] {
        assert_eq!(score(c), open, "{c:?}");
    }
}
