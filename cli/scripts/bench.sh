#!/usr/bin/env bash
# Throughput and peak memory of `sledai score` on 1,000,000 generated visits
# (JSON Lines and CSV), release build. Figures go in docs/performance.md ("CLI").
# Needs python3, hyperfine (apt-get install -y hyperfine) and GNU time
# (apt-get install -y time).
# Usage: bash cli/scripts/bench.sh [N]   (N visits, default 1000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000000}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
cargo build --release -p sledai-cli
BIN=target/release/sledai
python3 cli/scripts/gen_visits.py "$N" csv > "$DIR/v.csv"
python3 cli/scripts/gen_visits.py "$N" jsonl > "$DIR/v.jsonl"
ls -l "$DIR"
hyperfine --warmup 1 --runs 3 -N \
  "$BIN score $DIR/v.csv -q -o /dev/null" \
  "$BIN score $DIR/v.csv -q --output-format csv -o /dev/null" \
  "$BIN score $DIR/v.jsonl -q -o /dev/null" \
  "$BIN score $DIR/v.jsonl -q --output-format csv -o /dev/null"
for f in v.csv v.jsonl; do
  /usr/bin/time -f "$f: %e s, peak RSS %M KiB" "$BIN" score "$DIR/$f" -q -o /dev/null
done
