//! Constant memory: peak RSS of `sledai score` on 1,000,000 visits is not
//! larger than on 100,000 (beyond noise), for the same 1,000 patients. The
//! core's `PatientStream` keeps one small state per patient (the previous
//! visit for LLDAS criterion 2, the baseline), so memory grows with the
//! number of patients, not of visits (figure in docs/performance.md). Ignored by default (it writes
//! ~250 MB of temporary files); run it with
//!
//! ```text
//! cargo test --release -p sledai-cli --test it memory -- --ignored --nocapture
//! ```
//!
//! Needs GNU time at /usr/bin/time (`apt-get install -y time`); without it
//! the test says so and passes. See docs/performance.md.

#![allow(clippy::unwrap_used)]

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The 24 identifiers in form order, from the library (the memory test
/// needs valid columns, not an independent check of them).
const IDS: [&str; 24] = {
    let mut ids = [""; 24];
    let mut i = 0;
    while i < 24 {
        ids[i] = sledai::Descriptor::ALL[i].id();
        i += 1;
    }
    ids
};

/// Patients in every generated file.
const PATIENTS: u32 = 1000;

/// Writes `n` visits of [`PATIENTS`] patients, each patient's visits on
/// consecutive days (the stream needs them in date order); every 10th
/// visit has one descriptor not assessed.
fn generate(dir: &Path, n: u32, csv: bool) -> PathBuf {
    let path = dir.join(format!("v{n}.{}", if csv { "csv" } else { "jsonl" }));
    let mut w = BufWriter::new(File::create(&path).unwrap());
    let mut x: u32 = 12345;
    if csv {
        writeln!(w, "id,patient,date,{}", IDS.join(",")).unwrap();
    }
    for i in 0..n {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let mask = (x >> 4) & 0x00FF_FFFF & (x >> 7);
        let missing = (i % 10 == 0).then_some((i / 10) % 24);
        let day = i32::try_from(i / PATIENTS).unwrap();
        let date = sledai::Date::new(2000, 1, 1)
            .unwrap()
            .checked_add_days(day)
            .unwrap();
        if csv {
            let cells: Vec<&str> = (0..24)
                .map(|b| match (Some(b) == missing, mask & (1 << b) != 0) {
                    (true, _) => "",
                    (false, true) => "1",
                    (false, false) => "0",
                })
                .collect();
            writeln!(w, "v{i},P{},{date},{}", i % PATIENTS, cells.join(",")).unwrap();
        } else if let Some(m) = missing {
            let items: Vec<String> = (0..24)
                .map(|b| {
                    let v = if b == m {
                        "null"
                    } else if mask & (1 << b) != 0 {
                        "true"
                    } else {
                        "false"
                    };
                    format!("\"{}\":{v}", IDS[b as usize])
                })
                .collect();
            writeln!(
                w,
                r#"{{"id":"v{i}","patient":"P{}","date":"{date}","descriptors":{{{}}}}}"#,
                i % PATIENTS,
                items.join(",")
            )
            .unwrap();
        } else {
            let items: Vec<String> = (0..24)
                .filter(|b: &u32| mask & (1 << b) != 0)
                .map(|b| format!("\"{}\"", IDS[b as usize]))
                .collect();
            writeln!(
                w,
                r#"{{"id":"v{i}","patient":"P{}","date":"{date}","present":[{}]}}"#,
                i % PATIENTS,
                items.join(",")
            )
            .unwrap();
        }
    }
    w.flush().unwrap();
    path
}

/// Peak RSS in KiB of `sledai score FILE [args]`, output discarded.
fn peak_rss_kib(input: &Path, args: &[&str]) -> u64 {
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(env!("CARGO_BIN_EXE_sledai"))
        .arg("score")
        .arg(input)
        .args(args)
        .arg("-q")
        .stdout(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
#[ignore = "writes ~250 MB and takes a while; see docs/performance.md"]
fn peak_memory_does_not_grow_with_the_file() {
    if !Path::new("/usr/bin/time").exists() {
        eprintln!("skipped: /usr/bin/time not found (apt-get install -y time)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for csv in [true, false] {
        let small = generate(dir.path(), 100_000, csv);
        let large = generate(dir.path(), 1_000_000, csv);
        for out in [
            &["--output-format", "jsonl"][..],
            &["--output-format", "csv"][..],
        ] {
            let a = peak_rss_kib(&small, out);
            let b = peak_rss_kib(&large, out);
            eprintln!(
                "{} {:?}: peak RSS 100k visits {a} KiB, 1M visits {b} KiB",
                if csv { "csv" } else { "jsonl" },
                out[1]
            );
            // Ten times the input; allow 1 MiB of noise, never growth.
            assert!(b <= a + 1024, "peak RSS grew from {a} KiB to {b} KiB");
        }
    }
}
