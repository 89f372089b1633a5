//! `--help` and `--version`.

use super::common::sledai;
use predicates::prelude::*;
use predicates::str::contains;

#[test]
fn version() {
    sledai()
        .arg("--version")
        .assert()
        .success()
        .stdout(format!("sledai {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn each_help_has_an_example() {
    sledai()
        .arg("--help")
        .assert()
        .success()
        .stdout(contains("Examples:").and(contains("sledai score")));
    sledai()
        .args(["score", "--help"])
        .assert()
        .success()
        .stdout(
            contains("Examples:")
                .and(contains("sledai score examples/visits.jsonl"))
                .and(contains("--on-error")),
        );
    sledai().args(["adam", "--help"]).assert().success().stdout(
        contains("Examples:")
            .and(contains("sledai adam examples/car_t_visits.jsonl"))
            .and(contains("--analysis-selection")),
    );
    sledai()
        .args(["descriptors", "--help"])
        .assert()
        .success()
        .stdout(contains("Examples:").and(contains("sledai descriptors --format json")));
}

#[test]
fn no_subcommand_and_unknown_flags_are_usage_errors() {
    sledai().assert().code(2);
    sledai().args(["score", "--bogus"]).assert().code(2);
    sledai()
        .args(["score", "--on-error", "ignore"])
        .assert()
        .code(2);
}
