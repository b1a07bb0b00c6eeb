#!/usr/bin/env bash
# scripts/bench.sh [--compare] — release build, then our load benchmark
# (diun-server/benches/load.rs): a table and, as the last line, one JSON object
# on stdout; progress on stderr. This is what `make bench` runs; BENCH_SECONDS
# and BENCH_PRELOAD shorten it (e.g. BENCH_SECONDS=2 BENCH_PRELOAD=1000).
#
# --compare: afterwards also the shared side-by-side harness beside this
# repository (../shared/bench/perf/compare.sh, see its README): our release
# server against the Go reference (../shared/bench/go-ref/build.sh builds it,
# installing Debian's Go if missing), alternating A B A B A B; medians and
# ratios as one more JSON object on stdout, a table on stderr. It needs jq
# (apt-get install -y jq).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CARGO=${CARGO:-cargo}
SHARED=$ROOT/../shared/bench

COMPARE=""
case "${1:-}" in
  "") ;;
  --compare) COMPARE=1 ;;
  *)
    echo "usage: $0 [--compare]" >&2
    exit 64
    ;;
esac

echo "+ $CARGO build --release --workspace --bins" >&2
"$CARGO" build --release --workspace --bins >&2

# Building the bench re-links target/release/diun-server with the features of
# the dev-dependencies unified in: benchmark a copy of the release build, the
# binary users run.
SERVER=$ROOT/target/bench/diun-server
mkdir -p "$(dirname "$SERVER")"
cp target/release/diun-server "$SERVER"
export DIUN_SERVER_BIN=$SERVER
echo "+ DIUN_SERVER_BIN=$SERVER $CARGO bench --workspace --bench load" >&2
"$CARGO" bench --workspace --bench load

if [ -n "$COMPARE" ]; then
  if [ ! -x "$SHARED/perf/compare.sh" ]; then
    echo "bench: $SHARED/perf/compare.sh not found: no side-by-side run" >&2
    exit 69
  fi
  echo "+ $SHARED/go-ref/build.sh" >&2
  GO_REF=$("$SHARED/go-ref/build.sh")
  echo "+ $SHARED/perf/compare.sh $SERVER $GO_REF" >&2
  "$SHARED/perf/compare.sh" "$SERVER" "$GO_REF"
elif [ -x "$SHARED/perf/compare.sh" ]; then
  echo "bench: for the side-by-side run against the Go reference: $0 --compare" >&2
fi
