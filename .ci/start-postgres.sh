#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on 127.0.0.1:54329 (trust auth), installing it if needed.
set -euo pipefail

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/postgres" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
bin="$(pg_bin)"
data="$(mktemp -d /tmp/cpa-pg.XXXXXX)"
chown postgres "$data"
# initdb and postgres refuse to run as root.
su postgres -s /bin/sh -c "'$bin/initdb' -D '$data' -A trust -U postgres >/dev/null"
su postgres -s /bin/sh -c "'$bin/pg_ctl' -D '$data' -o '-p 54329 -k /tmp -c listen_addresses=127.0.0.1' -l '$data/log' -w start >/dev/null"
echo "PostgreSQL running on 127.0.0.1:54329 ($data)"
