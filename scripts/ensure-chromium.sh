#!/usr/bin/env bash
# scripts/ensure-chromium.sh
#
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests
# (playwright-core drives it; no browser is ever downloaded by a test tool).
#
# Exit codes:
#   0  Chromium is there (already, or installed now as root with apt-get)
#   1  it is missing and could not be installed: the message gives the exact
#      install command (the browser tests are part of `make test`; they are
#      never skipped)
set -euo pipefail

CHROMIUM=/usr/bin/chromium
INSTALL_CMD="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-liberation"

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM missing; installing: $INSTALL_CMD" >&2
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-liberation
  if [ -x "$CHROMIUM" ]; then
    exit 0
  fi
  echo "ensure-chromium: ERROR: apt-get finished but $CHROMIUM is still missing" >&2
  exit 1
fi

echo "ensure-chromium: ERROR: $CHROMIUM is missing and cannot be installed here (not root); install it with:" >&2
echo "  $INSTALL_CMD" >&2
exit 1
