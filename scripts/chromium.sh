#!/usr/bin/env bash
# Print the path of a headless-capable Chromium, installing the Debian
# package `chromium` with apt-get when it is missing (CI is a fresh machine).
# Used by the browser test of the HTML report (tests/html/). Exits non-zero
# with a message on stderr when Chromium cannot be installed: the test then
# fails, it never skips.
# Usage: scripts/chromium.sh        -> prints e.g. /usr/bin/chromium
set -euo pipefail

find_chromium() {
  for c in "${CHROMIUM:-}" chromium chromium-browser google-chrome; do
    [ -n "$c" ] || continue
    if p=$(command -v "$c" 2>/dev/null); then echo "$p"; return 0; fi
  done
  return 1
}

if p=$(find_chromium); then echo "$p"; exit 0; fi

echo "chromium.sh: installing the Debian package chromium" >&2
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "chromium.sh: chromium is missing and apt-get needs root (no sudo)" >&2
    exit 1
  fi
fi
# One installer at a time when tests run in parallel.
exec 9>/tmp/leakscope-chromium-install.lock
flock 9
if p=$(find_chromium); then echo "$p"; exit 0; fi
if ! $SUDO apt-get update -qq >&2 ||
   ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
       chromium fonts-dejavu-core >&2; then
  echo "chromium.sh: apt-get install chromium failed" >&2
  exit 1
fi
if p=$(find_chromium); then echo "$p"; exit 0; fi
echo "chromium.sh: chromium installed but not found on PATH" >&2
exit 1
