#!/usr/bin/env bash
# Install what building and testing leakscope needs, only when missing:
# Debian -dev packages with apt-get, node devDependencies with npm ci.
# Usage: scripts/deps.sh [ci]   ("ci" adds clang's fuzzer/sanitizer runtime)
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(cmake gcc make pkg-config zlib1g-dev libcmocka-dev libwslay-dev time python3 valgrind) # python3: node-gyp (the Node addon); valgrind: tests/node; libwslay-dev: attach's WebSocket framing
if [ "${1:-}" = ci ]; then pkgs+=(clang libclang-rt-14-dev); fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm ci only when the lock file changed since the last install
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "deps: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
