#!/usr/bin/env bash
# API benchmark: seeds 1,000 modules, 200,000 runs and 20 secrets, starts `pipekit serve --server-timing` on them as
# its own process, then runs 8 concurrent clients (by default) for 30 s against GET /api/runs?limit=50, GET /api/modules,
# GET /api/runs/{id} and the dashboard page GET / (goal: server time p95 < 100 ms for the page, p99 < 50 ms for the API
# routes); prints per route p50/p95/p99 as the client saw it and as the server measured it (Server-Timing), requests/s,
# and the CPU time per request of the server and of the load generator. docs/server.md says how to read it.
# Usage: bench/api.sh [seconds] [clients] [route,route,...] [--clients N] [--churn MS] [--home DIR] [--store sqlite|postgres|both]
#   --clients: concurrent clients (default 8; the load generator shares the cores with the server).
#   --churn: edit a module every MS ms. --home: keep the seeded SQLite store in DIR and reuse it on the next run.
#   --store: the state store (default both, one after the other). The PostgreSQL
#   store is a throwaway cluster started here with default durability settings and removed at the end.
#   (the root ./bench.sh dispatches "api" here)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
store=both
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --store) [[ $# -ge 2 ]] || { echo "--store needs sqlite, postgres or both" >&2; exit 2; }; store="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
case "$store" in sqlite|postgres|both) ;; *) echo "--store must be sqlite, postgres or both, not '$store'" >&2; exit 2 ;; esac

"$root/pipekit" --version >/dev/null   # builds the CLI when its sources changed
dotnet build "$root/bench/Pipekit.Bench.Api/Pipekit.Bench.Api.csproj" -c Release -nologo -v q -clp:NoSummary >/dev/null
export PIPEKIT_BIN="$root/src/Pipekit.Cli/bin/Release/publish/pipekit"
bench=("dotnet" "$root/bench/Pipekit.Bench.Api/bin/Release/net10.0/linux-x64/Pipekit.Bench.Api.dll")

pgbin=/usr/lib/postgresql/15/bin
pgdir=""
as_postgres() { if [[ "$(id -u)" == 0 ]]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }
stop_pg() {
  [[ -n "$pgdir" ]] || return 0
  as_postgres "$pgbin/pg_ctl -D $pgdir/data -m fast -w stop" >/dev/null 2>&1 || true
  rm -rf "$pgdir"
  pgdir=""
}
trap stop_pg EXIT
start_pg() {
  [[ -x "$pgbin/initdb" ]] || { echo "PostgreSQL 15 binaries not found in $pgbin (apt-get install postgresql-15)" >&2; exit 1; }
  pgdir="$(mktemp -d /tmp/pipekit-bench-pg-XXXXXX)"
  chmod 755 "$pgdir"
  [[ "$(id -u)" == 0 ]] && chown postgres: "$pgdir"
  local port
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  as_postgres "$pgbin/initdb -D $pgdir/data -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null
  as_postgres "$pgbin/pg_ctl -D $pgdir/data -l $pgdir/server.log -w -o '-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c max_connections=200' start" >/dev/null
  as_postgres "$pgbin/createdb -h 127.0.0.1 -p $port -U postgres pipekit"
  export PIPEKIT_STATE_URL="postgres://postgres@127.0.0.1:$port/pipekit"
}

# A run that misses its goal exits 1; the other store still runs, and the script exits 1 at the end.
status=0
if [[ "$store" == sqlite || "$store" == both ]]; then
  echo "== state store: sqlite"
  (unset PIPEKIT_STATE_URL; "${bench[@]}" "${args[@]}") || status=1
fi
if [[ "$store" == postgres || "$store" == both ]]; then
  echo "== state store: postgres"
  start_pg
  "${bench[@]}" "${args[@]}" || status=1
fi
exit "$status"
