#!/usr/bin/env bash
# scripts/schemathesis.sh — generated attacks on the live server (`make schemathesis`).
#
#   scripts/schemathesis.sh [SERVER_BIN]
#
# Starts SERVER_BIN (default: $DIUN_SERVER_BIN, else target/release/diun-server;
# this script builds nothing) on a free 127.0.0.1 port with a fresh SQLite file
# and a webhook secret, posts the six DIUN fixtures, and runs schemathesis against
# the spec the server serves (/api/openapi.json):
#   1. every operation, SCHEMATHESIS_MAX_EXAMPLES (default 100) examples each,
#      all phases (examples, coverage, fuzzing, stateful);
#   2. the two operations on one image, with `image` fixed to a fixture's image
#      (`/`, `:` and `@` in it), so that they reach their 200/204 answers and not
#      only 404s.
# Checks: not_a_server_error, status_code_conformance, content_type_conformance,
# response_schema_conformance. The seed is fixed (SCHEMATHESIS_SEED) so a failure
# replays. Afterwards the server gets SIGTERM and must exit 0 with no panic, no
# 5xx and no "database is locked" in its log. Exits non-zero on any failure and
# ends with a "schemathesis: N passed, N failed" line (the JUnit test cases of
# both runs, about one per operation).
#
# schemathesis comes from PyPI, pinned in scripts/schemathesis-requirements.txt,
# installed on first use into the lint tools' venv (target/tools/venv).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${LINT_VENV:-$ROOT/target/tools/venv}
REQ=scripts/schemathesis-requirements.txt
LINT_REQ=scripts/lint-requirements.txt
BIN=${1:-${DIUN_SERVER_BIN:-$ROOT/target/release/diun-server}}
MAX_EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-100}
SEED=${SCHEMATHESIS_SEED:-20261203}
SECRET=schemathesis-webhook-secret
# The fixture whose image the second run uses.
SEEDED_IMAGE='docker.io/valkey/valkey:8.1@sha256:b3be27656a9ccdef6c509ddb427612636ed534bdad84a3bf85a766af7d8932b0'

if [ ! -x "$BIN" ]; then
  echo "schemathesis: $BIN is not an executable server (build it: cargo build --release --workspace --bins)" >&2
  exit 1
fi
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

# --- the tool -------------------------------------------------------------------
# Installed beside the lint tools, with their pins as constraints; the stamp
# covers both files, so a change to either reinstalls. (lint.sh recreates the
# venv when its own pins change; this then reinstalls schemathesis.)
ensure_schemathesis() {
  local stamp=$VENV/.schemathesis-requirements.txt
  if [ -x "$VENV/bin/st" ] && cat "$LINT_REQ" "$REQ" | cmp -s - "$stamp"; then
    return 0
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    echo "+ python3 -m venv $VENV"
    mkdir -p "$(dirname "$VENV")"
    if ! python3 -m venv "$VENV"; then
      echo "schemathesis: ERROR: 'python3 -m venv' failed (on Debian's python3: apt-get install -y python3-venv)" >&2
      exit 1
    fi
  fi
  echo "+ $VENV/bin/pip install -c $LINT_REQ -r $REQ"
  "$VENV/bin/pip" install --disable-pip-version-check --no-input -q --only-binary=:all: \
    -c "$LINT_REQ" -r "$REQ"
  cat "$LINT_REQ" "$REQ" >"$stamp"
}
ensure_schemathesis
ST=$VENV/bin/st
PY=$VENV/bin/python

# --- the server -----------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/diun-schemathesis.XXXXXX")
LOG=$WORK/server.log
SERVER_PID=
KEEP=0

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  local rc=0
  for _ in $(seq 1 400); do # at most 40 s (the server's grace is 30 s)
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "schemathesis: the server ignored SIGTERM for 40 s; killing it" >&2
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    rc=1
  fi
  wait "$SERVER_PID" || rc=$?
  SERVER_PID=
  return "$rc"
}

cleanup() {
  stop_server || true
  if [ "$KEEP" = 1 ]; then
    echo "schemathesis: server log and reports kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "+ $BIN on 127.0.0.1:$PORT (DB_PATH=$WORK/diun.db)"
env PORT="$PORT" BIND_ADDR=127.0.0.1 DB_PATH="$WORK/diun.db" FRONTEND_DIR="$WORK/no-frontend" \
  WEBHOOK_SECRET="$SECRET" LOG_FORMAT=json RUST_LOG=info "$BIN" >"$LOG" 2>&1 &
SERVER_PID=$!

healthy=0
for _ in $(seq 1 150); do # at most 30 s
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    break
  fi
  if PORT=$PORT "$BIN" healthcheck; then
    healthy=1
    break
  fi
  sleep 0.2
done
if [ "$healthy" != 1 ]; then
  echo "schemathesis: the server did not become healthy; its log:" >&2
  cat "$LOG" >&2
  exit 1
fi
BASE=http://127.0.0.1:$PORT

# The six fixtures, so that lists and histories have real content.
"$PY" - "$BASE" "$SECRET" testdata/diun/*.json <<'PY'
import sys, urllib.request
base, secret, files = sys.argv[1], sys.argv[2], sys.argv[3:]
for path in files:
    with open(path, "rb") as f:
        request = urllib.request.Request(base + "/webhook", data=f.read(), method="POST",
                                         headers={"Authorization": secret})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200, (path, response.status)
print(f"schemathesis: seeded {len(files)} DIUN fixtures")
PY

# --- the runs -------------------------------------------------------------------
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
FAILED=()
run_st() {
  local name=$1
  shift
  echo "+ st run $BASE/api/openapi.json --max-examples $MAX_EXAMPLES --seed $SEED $*"
  # Run from the work dir: schemathesis leaves nothing in the repository.
  if (cd "$WORK" && timeout 900 "$ST" "$@" run "$BASE/api/openapi.json" \
    --checks "$CHECKS" \
    --max-examples "$MAX_EXAMPLES" \
    --seed "$SEED" \
    --header "Authorization: Bearer $SECRET" \
    --request-timeout 10 \
    --generation-database none \
    --no-color \
    --report junit --report-junit-path "$WORK/$name.xml" \
    "${RUN_ARGS[@]}"); then
    echo "schemathesis: $name: ok"
  else
    echo "schemathesis: $name: FAILED" >&2
    FAILED+=("$name")
  fi
}

RUN_ARGS=()
run_st all-operations

# `path.image` fixed for the operations on one image (a config file is the
# only way to pin a parameter's value).
printf '[parameters]\n"path.image" = "%s"\n' "$SEEDED_IMAGE" >"$WORK/seeded-image.toml"
RUN_ARGS=(--include-operation-id acknowledge_update --include-operation-id list_image_events)
run_st seeded-image --config-file "$WORK/seeded-image.toml"

# --- the server's side ------------------------------------------------------------
if ! stop_server; then
  echo "schemathesis: the server did not exit cleanly after SIGTERM" >&2
  FAILED+=(shutdown)
fi
requests=$(grep -c '"message":"request"' "$LOG" || true)
if grep -iE 'panicked|database is locked|"status":5[0-9][0-9]|"level":"ERROR"' "$LOG" >"$WORK/log-problems.txt"; then
  echo "schemathesis: problems in the server log ($requests requests):" >&2
  head -n 20 "$WORK/log-problems.txt" >&2
  FAILED+=(server-log)
else
  echo "schemathesis: the server answered $requests requests; no 5xx, panic or lock error in its log"
fi

# --- the closing line: the JUnit test cases of both runs ---------------------
summary=$("$PY" - "$WORK"/*.xml <<'PY'
import sys, xml.etree.ElementTree as ET
passed = failed = 0
for path in sys.argv[1:]:
    for case in ET.parse(path).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is None:
            passed += 1
print(passed, failed)
PY
) || summary="0 1"
read -r passed failed <<<"$summary"
if [ ${#FAILED[@]} -gt 0 ]; then
  KEEP=1
  [ "$failed" -gt 0 ] || failed=${#FAILED[@]}
  echo "schemathesis: FAILED: ${FAILED[*]}" >&2
  echo "schemathesis: $passed passed, $failed failed"
  exit 1
fi
echo "schemathesis: $passed passed, $failed failed"
