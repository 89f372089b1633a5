//! Helpers shared by the modules of the one test binary: the tool, the
//! repository root, temporary files, and the 24 descriptor identifiers
//! typed from `docs/reference.md` section 1.2 (not read from the library,
//! so the tests check the tool against the reference).

#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::PathBuf;

use assert_cmd::Command;

/// The `sledai` binary under test.
pub(crate) fn sledai() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sledai"))
}

/// The binary under test, run from the repository root (for the paths of
/// `examples/`).
pub(crate) fn sledai_at_root() -> Command {
    let mut c = sledai();
    c.current_dir(root());
    c
}

/// The repository root.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Writes `bytes` to `name` in `dir` and returns the path.
pub(crate) fn write(dir: &tempfile::TempDir, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.path().join(name);
    fs::write(&p, bytes).unwrap();
    p
}

/// The 24 identifiers in form order (`docs/reference.md` section 1.2).
pub(crate) const IDS: [&str; 24] = [
    "seizure",
    "psychosis",
    "organic_brain_syndrome",
    "visual_disturbance",
    "cranial_nerve_disorder",
    "lupus_headache",
    "cva",
    "vasculitis",
    "arthritis",
    "myositis",
    "urinary_casts",
    "hematuria",
    "proteinuria",
    "pyuria",
    "rash",
    "alopecia",
    "mucosal_ulcers",
    "pleurisy",
    "pericarditis",
    "low_complement",
    "increased_dna_binding",
    "fever",
    "thrombocytopenia",
    "leukopenia",
];
