#!/usr/bin/env bash
# Debian packages the test suite drives: headless Chromium (status-page browser tests, through
# playwright-core, which downloads no browser), PostgreSQL and Redis (the suite starts a throwaway
# server of each, for the tests of several instances sharing them).
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
