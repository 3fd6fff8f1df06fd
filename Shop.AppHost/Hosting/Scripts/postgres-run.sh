#!/usr/bin/env bash
# Runs Debian's PostgreSQL in the foreground under DCP, initialising the data folder on first start.
# PostgreSQL refuses to run as root, so as root it runs as the 'postgres' account (setpriv: the same process, so the
# signals below reach the postmaster itself; runuser would stand between and SIGKILL it 2 s after forwarding a TERM).
# Usage: postgres-run.sh BIN_DIR ROOT_DIR PORT
set -euo pipefail
bin="$1"; root="$2"; port="$3"
data="$root/data"; sockets="$root/run"

run_as=()
if [ "$(id -u)" -eq 0 ]; then run_as=(setpriv --reuid=postgres --regid=postgres --init-groups --); fi

mkdir -p "$data" "$sockets"
if [ ${#run_as[@]} -gt 0 ]; then chown -R postgres:postgres "$root"; fi
chmod 700 "$data"

if [ ! -s "$data/PG_VERSION" ]; then
  echo "Initialising a new PostgreSQL data folder in $data"
  "${run_as[@]}" "$bin/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
fi

# synchronous_commit stays at its default (on): an order, a payment or a reservation the services acknowledged is
# on disk, so a crash of this machine loses none of them.
# Local (Unix socket) connections are trusted so the AppHost can set the generated password and create
# databases; TCP clients must present the password. pg_stat_statements (created in the 'postgres' database, it sees
# every database) is how the order path's statements are counted: see README, Benchmarks, "Measured".
# DCP stops a resource with SIGTERM, which PostgreSQL takes as a smart shutdown: it waits for every client to leave,
# and the services' connection pools never do. A fast shutdown (SIGINT) ends the sessions, writes a checkpoint and exits.
"${run_as[@]}" "$bin/postgres" -D "$data" -p "$port" -k "$sockets" \
  -c listen_addresses=localhost -c max_connections=500 -c shared_buffers=256MB \
  -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all \
  -c log_min_messages=warning -c log_line_prefix='%m [%p] ' &
postmaster=$!
trap 'kill -INT "$postmaster" 2>/dev/null || true' TERM INT
# A trapped signal interrupts wait before the postmaster has exited: wait again; the last wait gives its exit status.
while kill -0 "$postmaster" 2>/dev/null; do wait "$postmaster" || true; done
wait "$postmaster"
