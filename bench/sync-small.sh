#!/usr/bin/env bash
# Small-module start-up benchmark: the wall time of `pipekit run` (a whole CLI process, as cron starts it) for a
# PostgreSQL → PostgreSQL full module of N rows (default 2,000), side by side with the psql pipe moving the same rows
#   psql -c "COPY (SELECT …) TO STDOUT (FORMAT binary)" | psql -c "COPY … FROM STDIN (FORMAT binary)"
# Goal: the build that ships under 400 ms median. PostgreSQL is a throwaway cluster started here and removed at the end.
# Times, in the same run and interleaved round by round: the composite build deploy.sh installs (published here by
# deploy/publish.sh into bench/.published/cli, again only when a source changed since the last publish; the first
# publish takes a few minutes), ./pipekit's dev build (framework-dependent ReadyToRun), and the psql pipe.
# Usage: bench/sync-small.sh [rows] [--rounds N] [--bin PATH]   (the root ./bench.sh dispatches "sync --small" here)
#   --bin: time this pipekit executable (e.g. a deployed /opt/pipekit/current/pipekit) in place of the composite build.
# PIPEKIT_TIMING=1 in the environment prints where each run's time goes (one line per step on stderr).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rows=2000
rounds=10
bin=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || { echo "--rounds needs a positive number" >&2; exit 2; }; rounds="$2"; shift 2 ;;
    --small) shift ;;
    --bin) [[ $# -ge 2 && -x "$2" ]] || { echo "--bin needs an executable pipekit" >&2; exit 2; }; bin="$2"; shift 2 ;;
    [0-9]*) rows="$1"; shift ;;
    *) echo "unknown argument '$1'; usage: bench/sync-small.sh [rows] [--rounds N] [--bin PATH]" >&2; exit 2 ;;
  esac
done

published="$root/bench/.published/cli"
if [[ -n "$bin" ]]; then
  shipped="$bin"
  shipped_label="--bin build"
else
  "$root/bench/publish-cached.sh" "$published"   # again only when a source changed since the last publish
  shipped="$published/pipekit"
  shipped_label="composite"
fi
echo "sync --small: building ./pipekit's dev build if a source changed…" >&2
"$root/pipekit" --version >/dev/null
dev="$root/pipekit"

pgbin=/usr/lib/postgresql/15/bin
[[ -x "$pgbin/initdb" ]] || { echo "PostgreSQL 15 binaries not found in $pgbin (apt-get install postgresql-15)" >&2; exit 1; }
work="$(mktemp -d /tmp/pipekit-bench-small-XXXXXX)"
chmod 755 "$work"
as_postgres() { if [[ "$(id -u)" == 0 ]]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }
cleanup() {
  as_postgres "$pgbin/pg_ctl -D $work/pg/data -m fast -w stop" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/pg" "$work/home"
[[ "$(id -u)" == 0 ]] && chown postgres: "$work/pg"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
as_postgres "$pgbin/initdb -D $work/pg/data -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null
as_postgres "$pgbin/pg_ctl -D $work/pg/data -l $work/pg/server.log -w -o '-p $port -k $work/pg -c listen_addresses=127.0.0.1' start" >/dev/null
psql=("$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
"${psql[@]}" -d postgres -c "CREATE DATABASE shop" -c "CREATE DATABASE warehouse"
"${psql[@]}" -d shop -c "CREATE TABLE orders AS SELECT g AS order_id, 'customer ' || g AS customer, (g * 1.5)::numeric(12,2) AS amount,
  timestamp '2026-01-01' + g * interval '1 minute' AS updated_at FROM generate_series(1, $rows) g"
"${psql[@]}" -d warehouse -c "CREATE TABLE orders_pipe (order_id integer, customer text, amount numeric(12,2), updated_at timestamp)"

export PIPEKIT_HOME="$work/home"
unset PIPEKIT_CONFIG PIPEKIT_SECRETS PIPEKIT_STATE_URL
pipekit="$shipped"
"$pipekit" connections add shop --url "postgres://postgres@127.0.0.1:$port/shop" >/dev/null
"$pipekit" connections add warehouse --url "postgres://postgres@127.0.0.1:$port/warehouse" >/dev/null
"$pipekit" modules new --from shop --table public.orders --to warehouse --name orders -o "$work/orders.toml" >/dev/null
"$pipekit" modules apply -f "$work/orders.toml" >/dev/null
"$pipekit" run orders >/dev/null   # creates the destination; later runs replace its rows

ms() { python3 -c 'import sys, statistics; v = sorted(float(x) for x in sys.stdin.read().split()); print(f"{statistics.median(v):7.0f} ms median  {v[0]:7.0f} ms best  {v[-1]:7.0f} ms worst")'; }
median() { python3 -c 'import sys, statistics; print(int(statistics.median(float(x) for x in sys.stdin.read().split())))'; }
now() { date +%s%N; }
run_ms() { local t0 t1; t0=$(now); "$1" run orders >/dev/null; t1=$(now); echo $(( (t1 - t0) / 1000000 )); }
"$dev" run orders >/dev/null   # the dev build's first run out of the loop too
shipped_times=()
dev_times=()
pipe_times=()
echo "sync --small: timing $rounds rounds ($shipped_label, dev build, psql pipe; interleaved)…" >&2
for ((i = 0; i < rounds; i++)); do
  # Which pipekit goes first alternates, so neither always runs right after the pipe.
  if (( i % 2 == 0 )); then
    shipped_times+=("$(run_ms "$shipped")"); dev_times+=("$(run_ms "$dev")")
  else
    dev_times+=("$(run_ms "$dev")"); shipped_times+=("$(run_ms "$shipped")")
  fi
  t0=$(now)
  "${psql[@]}" -d warehouse -c "TRUNCATE orders_pipe"
  "${psql[@]}" -d shop -c "COPY (SELECT order_id, customer, amount, updated_at FROM orders) TO STDOUT (FORMAT binary)" \
    | "${psql[@]}" -d warehouse -c "COPY orders_pipe FROM STDIN (FORMAT binary)"
  t1=$(now)
  pipe_times+=("$(( (t1 - t0) / 1000000 ))")
done
landed="$("${psql[@]}" -d warehouse -At -c "SELECT count(*) FROM orders")"
[[ "$landed" == "$rows" ]] || { echo "pipekit landed $landed rows, expected $rows" >&2; exit 1; }
echo "sync --small: PostgreSQL → PostgreSQL, $rows rows, full module, $rounds rounds (wall time of the whole process)"
printf '  pipekit run, %-11s %s\n' "$shipped_label" "$(printf '%s\n' "${shipped_times[@]}" | ms)"
printf '  pipekit run, %-11s %s\n' "dev build" "$(printf '%s\n' "${dev_times[@]}" | ms)"
printf '  psql | psql              %s\n' "$(printf '%s\n' "${pipe_times[@]}" | ms)"
shipped_median="$(printf '%s\n' "${shipped_times[@]}" | median)"
pipe_median="$(printf '%s\n' "${pipe_times[@]}" | median)"
ratio="$(python3 -c "print(f'{$shipped_median / max($pipe_median, 1):.1f}')")"
if (( shipped_median < 400 )); then
  echo "  $shipped_label: ${ratio}x the pipe's median; goal (< 400 ms): met"
else
  echo "  $shipped_label: ${ratio}x the pipe's median; goal (< 400 ms): missed by $(( shipped_median - 400 )) ms"
  exit 1
fi
