#!/usr/bin/env bash
# scripts/bench.sh — release build, then the load benchmark (`make bench`).
#
# The load harness lives in the shared workspace beside this repository
# (../shared/bench/perf, see its README): black-box scenarios over 127.0.0.1
# that print one JSON object of figures on stdout. It needs jq
# (apt-get install -y jq). Without the harness, only the build runs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CARGO=${CARGO:-cargo}
NPM=${NPM:-npm}

echo "+ (cd frontend && $NPM run build)" >&2
(cd frontend && "$NPM" run build) >&2
echo "+ $CARGO build --release --workspace --bins" >&2
"$CARGO" build --release --workspace --bins >&2

HARNESS=$ROOT/../shared/bench/perf/bench.sh
if [ -x "$HARNESS" ]; then
  echo "+ $HARNESS $ROOT/target/release/diun-server" >&2
  "$HARNESS" "$ROOT/target/release/diun-server"
else
  echo "bench: $HARNESS not found; built only" >&2
fi
