#!/usr/bin/env bash
# scripts/lint.sh — static checks of the shipping files (`make lint`).
#
#   Dockerfile              hadolint
#   .gitea/workflows/*.yml  actionlint (with ShellCheck on the `run:` steps) and
#                           the GitHub workflow JSON schema
#   compose*.yml            the Compose Specification JSON schema (bundled with
#                           check-jsonschema, so it works offline), plus
#                           cross-references the schema cannot see (named
#                           volumes declared, depends_on targets defined)
#   scripts/*.sh, .ci/run   ShellCheck
#   frontend/package-lock.json  no "resolved" download addresses
#   every tracked file      no package-registry host names
#
# The tools come from PyPI (pinned in scripts/lint-requirements.txt) and are
# installed on first use into target/tools/venv (gitignored; `make clean`
# removes it). Every check runs; the script fails at the end if any failed.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${LINT_VENV:-$ROOT/target/tools/venv}
REQ=scripts/lint-requirements.txt

ensure_tools() {
  if [ -x "$VENV/bin/python" ] && cmp -s "$REQ" "$VENV/.requirements.txt"; then
    return 0
  fi
  echo "+ python3 -m venv $VENV && $VENV/bin/pip install -r $REQ"
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  if ! python3 -m venv "$VENV"; then
    echo "lint: ERROR: 'python3 -m venv' failed (on Debian's python3: apt-get install -y python3-venv)" >&2
    exit 1
  fi
  # --only-binary: every pinned package ships a wheel; never build (or download) at install time.
  "$VENV/bin/pip" install --disable-pip-version-check --no-input -q --only-binary=:all: -r "$REQ"
  cp "$REQ" "$VENV/.requirements.txt"
}
ensure_tools
export PATH="$VENV/bin:$PATH"

FAILED=()
check() {
  local name=$1
  shift
  echo "+ $*"
  if "$@"; then
    echo "lint: $name: ok"
  else
    echo "lint: $name: FAILED" >&2
    FAILED+=("$name")
  fi
}

# --- Dockerfile ---------------------------------------------------------------
check hadolint hadolint --no-color Dockerfile

# --- CI workflows -------------------------------------------------------------
shopt -s nullglob
WORKFLOWS=(.gitea/workflows/*.yml .gitea/workflows/*.yaml)
COMPOSE_FILES=()
for f in compose.yml compose.*.yml compose.yaml compose.*.yaml docker-compose*.yml docker-compose*.yaml; do
  [ -f "$f" ] && COMPOSE_FILES+=("$f")
done
shopt -u nullglob
if [ ${#WORKFLOWS[@]} -gt 0 ]; then
  check actionlint actionlint -shellcheck=shellcheck "${WORKFLOWS[@]}"
  check workflow-schema check-jsonschema --builtin-schema vendor.github-workflows "${WORKFLOWS[@]}"
else
  echo "lint: no workflow files found under .gitea/workflows" >&2
  FAILED+=(workflows-missing)
fi

# --- Compose files ------------------------------------------------------------
compose_refs() {
  python3 - "$@" <<'PY'
"""Cross-references the Compose schema cannot check. Every other compose file
is an override of compose.yml (docker compose -f compose.yml -f OTHER), so
names may be defined in either."""
import sys
from ruamel.yaml import YAML

def load(path):
    with open(path, encoding="utf-8") as f:
        return YAML(typ="safe").load(f) or {}

base = load("compose.yml") if "compose.yml" in sys.argv[1:] else {}
errors = []
for path in sys.argv[1:]:
    doc = load(path)
    services = {**(base.get("services") or {}), **(doc.get("services") or {})}
    volumes = {**(base.get("volumes") or {}), **(doc.get("volumes") or {})}
    for name, svc in (doc.get("services") or {}).items():
        svc = svc or {}
        merged = {**((base.get("services") or {}).get(name) or {}), **svc}
        if "image" not in merged and "build" not in merged:
            errors.append(f"{path}: service {name}: neither image nor build")
        for vol in svc.get("volumes") or []:
            if isinstance(vol, str):
                source = vol.split(":", 1)[0] if ":" in vol else None
            else:
                source = vol.get("source") if vol.get("type", "volume") == "volume" else None
            if source and not source.startswith(("/", ".", "~", "$")) and source not in volumes:
                errors.append(f"{path}: service {name}: named volume {source!r} is not declared under volumes:")
        deps = svc.get("depends_on") or []
        for dep in (deps if isinstance(deps, list) else deps.keys()):
            if dep not in services:
                errors.append(f"{path}: service {name}: depends_on unknown service {dep!r}")
for e in errors:
    print(e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY
}
if [ ${#COMPOSE_FILES[@]} -gt 0 ]; then
  check compose-schema check-jsonschema --builtin-schema vendor.compose-spec "${COMPOSE_FILES[@]}"
  check compose-refs compose_refs "${COMPOSE_FILES[@]}"
else
  echo "lint: compose.yml not found" >&2
  FAILED+=(compose-missing)
fi

# --- Shell scripts ------------------------------------------------------------
check shellcheck shellcheck scripts/*.sh .ci/run

# --- npm lockfile: no download addresses (they would name the registry host) ---
no_resolved() {
  local lock=frontend/package-lock.json
  if [ ! -f "$lock" ]; then
    if [ "${CI:-}" = "true" ]; then
      echo "$lock is missing" >&2
      return 1
    fi
    echo "lint: warning: $lock not found; skipped" >&2
    return 0
  fi
  ! grep -n '"resolved"' "$lock"
}
check lockfile-resolved no_resolved

# --- No package-registry host names in committed files ------------------------
# The patterns are written with [.] so that this file does not match itself.
# Cargo.lock's "crates.io-index" (a git repository name) is allowed.
registry_hosts() {
  local pattern='npmjs[.](org|com)|yarnpkg[.]com|pypi[.](org|python[.]org)|pythonhosted[.]org|crates[.]io(?!-index)|(deb|security|ftp|snapshot|httpredir)[.]debian[.]org'
  local -a files
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -d '' files < <(git ls-files -z --cached --others --exclude-standard)
  else
    mapfile -d '' files < <(find . -path ./target -prune -o -path ./.git -prune -o -name node_modules -prune -o -type f -print0)
  fi
  local -a present=()
  local f
  for f in "${files[@]}"; do
    [ -f "$f" ] && present+=("$f")
  done
  [ ${#present[@]} -eq 0 ] && return 0
  local hits
  hits=$(printf '%s\0' "${present[@]}" | xargs -0 grep -nIP -- "$pattern" || true)
  if [ -n "$hits" ]; then
    echo "$hits"
    echo "registry host names found (above): remove them" >&2
    return 1
  fi
  return 0
}
check registry-hosts registry_hosts

if [ ${#FAILED[@]} -gt 0 ]; then
  echo "lint: FAILED: ${FAILED[*]}" >&2
  exit 1
fi
echo "lint: all checks passed"
