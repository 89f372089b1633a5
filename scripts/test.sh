#!/usr/bin/env bash
# The whole test suite: formatting, lints, every Rust test and doc test,
# the public-API listing (api/sledai.txt), rustdoc with warnings denied, a smoke run of the benchmarks, and the Python
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
cargo bench --workspace -- --test

echo "== python package (venv, release wheel, pytest, doctests, stubtest)"
bash scripts/test-python.sh
