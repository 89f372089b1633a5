#!/usr/bin/env bash
# The whole test suite: formatting, lints, every Rust test and doc test,
# the public-API listing (api/sledai.txt), rustdoc with warnings denied,
# a smoke run of the benchmarks, and the Python
# package (scripts/test-python.sh).
# Usage: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

echo "== cargo test"
cargo test --workspace

echo "== public API (api/sledai.txt)"
python3 scripts/public_api.py --check

echo "== cargo doc"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps

echo "== cargo bench (smoke test, no timing)"
# Each benchmark run once (`-- --test`), built with the dev profile: the
# test step's build of the library is reused, and the one release build of
# the suite is the Python wheel's (a bench-profile build compiled the
# library in release a second time, with other features unified: 1.5 min).
# Timing runs use `cargo bench` as usual (docs/performance.md).
cargo bench --workspace --profile dev -- --test

echo "== python package (venv, release wheel, pytest, doctests, stubtest)"
bash scripts/test-python.sh
