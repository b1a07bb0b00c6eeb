#!/usr/bin/env bash
# scripts/with-postgres.sh CMD [ARG...]
#
# Runs CMD with a throwaway PostgreSQL server and exports its URL as
# DIUN_TEST_POSTGRES_URL (postgres://postgres@127.0.0.1:PORT/postgres), so the
# PostgreSQL tests run against a real server. The server lives in a fresh temp
# dir, listens on 127.0.0.1 only (on a free port) and on a unix socket inside
# that dir, trusts local connections and runs with fsync=off: it is for tests
# only. It is stopped and the dir deleted when CMD ends; CMD's exit code is kept.
#
# PostgreSQL refuses to run as root, so as root the server runs as the
# `postgres` system user (created by Debian's postgresql package). CMD itself
# runs as the caller.
#
# Without PostgreSQL: under CI=true this fails; otherwise it warns loudly and
# runs CMD without DIUN_TEST_POSTGRES_URL (the PostgreSQL tests then skip).
# Install it with: apt-get install -y postgresql
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 CMD [ARG...]" >&2
  exit 64
fi

log() { echo "with-postgres: $*" >&2; }

# Debian keeps the server binaries off PATH, in /usr/lib/postgresql/<major>/bin.
# WITH_POSTGRES_BINDIR=/path/to/bin picks another installation.
find_pg_bindir() {
  if [ -n "${WITH_POSTGRES_BINDIR:-}" ]; then
    [ -x "$WITH_POSTGRES_BINDIR/initdb" ] && echo "$WITH_POSTGRES_BINDIR"
    return
  fi
  local initdb
  if initdb=$(command -v initdb 2>/dev/null); then
    dirname "$(readlink -f "$initdb")"
    return 0
  fi
  local dir
  while IFS= read -r dir; do
    if [ -x "$dir/initdb" ]; then
      echo "$dir"
      return 0
    fi
  done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r)
  return 1
}

if ! PG_BIN=$(find_pg_bindir); then
  if [ "${CI:-}" = "true" ]; then
    log "ERROR: PostgreSQL (initdb) is not installed; CI must run the PostgreSQL tests."
    log "Install it with: apt-get install -y postgresql"
    exit 1
  fi
  {
    echo "################################################################"
    echo "#  WARNING: PostgreSQL not installed: PostgreSQL tests will NOT run"
    echo "#  (install it with: apt-get install -y postgresql)"
    echo "################################################################"
  } >&2
  unset DIUN_TEST_POSTGRES_URL
  exec "$@"
fi

# As root, run the server as `postgres`; its data dir must then live where
# that user can reach it (not under /root), hence /tmp rather than $TMPDIR.
AS_PG=()
if [ "$(id -u)" -eq 0 ]; then
  if ! id -u postgres >/dev/null 2>&1; then
    log "ERROR: running as root but there is no 'postgres' user to run the server as"
    log "(apt-get install -y postgresql creates it)"
    exit 1
  fi
  AS_PG=(runuser -u postgres --)
  WORK=$(mktemp -d /tmp/diun-pg.XXXXXX)
  chown postgres: "$WORK"
else
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/diun-pg.XXXXXX")
fi
DATA="$WORK/data"
SOCK="$WORK/sock"
PGLOG="$WORK/server.log"
STARTED=0

# shellcheck disable=SC2329 # invoked by the EXIT trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ "$STARTED" = 1 ]; then
    "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 ||
      log "warning: pg_ctl stop failed"
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"${AS_PG[@]}" mkdir -p "$SOCK"
if ! "${AS_PG[@]}" "$PG_BIN/initdb" -D "$DATA" -U postgres --auth=trust \
  --encoding=UTF8 --locale=C --no-sync >"$WORK/initdb.log" 2>&1; then
  log "ERROR: initdb failed:"
  cat "$WORK/initdb.log" >&2
  exit 1
fi

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Another process may take the port between the probe and the bind: retry.
PORT=""
for attempt in 1 2 3 4 5; do
  candidate=$(free_port)
  if "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$DATA" -l "$PGLOG" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $candidate -c unix_socket_directories=$SOCK -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null; then
    PORT=$candidate
    STARTED=1
    break
  fi
  log "start on port $candidate failed (attempt $attempt); server log:"
  tail -n 5 "$PGLOG" >&2 || true
done
if [ -z "$PORT" ]; then
  log "ERROR: could not start PostgreSQL"
  exit 1
fi

export DIUN_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') ready: DIUN_TEST_POSTGRES_URL=$DIUN_TEST_POSTGRES_URL"

# Not exec: the trap must still stop the server once CMD is done.
set +e
"$@"
rc=$?
set -e
exit "$rc"
