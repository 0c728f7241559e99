#!/usr/bin/env bash
# Pipekit benchmarks, each printed side by side with its reference:
#   bench/bench.sh transfer [rows] [--rounds N] [--skip-insert] [--breakdown]   PG→PG vs psql|psql and 1,000-row INSERTs; engine pairs; peak RSS;
#                                                                  --breakdown: process start, 0-row transfer, COPY OUT alone, COPY IN alone, each vs psql
#   bench/bench.sh sync [rows] [--rounds N] [--deletes]           full runs (each full_load mode) vs the psql pipe; incremental module vs bare transfer of its delta; 3-watermark dry run;
#                                                                  --deletes: delete detection, 1% deleted at the source: delete phase vs keys transfer
#   bench/bench.sh sync --small [rows] [--rounds N] [--bin PATH]  wall time of a whole `pipekit run` (2,000 rows PG→PG): the composite build
#                                                                  deploy/publish.sh makes (cached in bench/.published/cli, republished when a
#                                                                  source changed) and ./pipekit's dev build vs the psql pipe; --bin: time PATH
#                                                                  in place of the composite build
#   bench/bench.sh pipelines [--sdk-requests N]                   DAG hand-off latency and run overhead; SDK socket round trips
#   bench/bench.sh api [seconds] [clients] [routes] [--clients N] [--churn MS] [--home DIR] [--store sqlite|postgres|both]
#                                                                 server-side p50/p95/p99 and requests/s of the busiest routes, per state store
#   bench/bench.sh query [rows] [seconds]                         POST /sql vs in-process DuckDB; JSON/NDJSON/Arrow MB/s; 8 clients vs 1
#   bench/bench.sh chains [rows]                                  20-step chain cold/warm/branch@19 on PostgreSQL; small project via POST /v1/jobs p50/p99
# Transfer: every method runs once untimed before the rounds, and the OS writes back the last run's data before each run.
# The transfer benchmark is published as the deployed CLI is (deploy/publish.sh: self-contained, ReadyToRun composite).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
what="${1:-}"
[[ $# -gt 0 ]] && shift
case "$what" in
  transfer)
    out="$root/bench/Pipekit.Bench/bin/publish-composite"
    "$root/bench/publish-cached.sh" "$out" bench/Pipekit.Bench/Pipekit.Bench.csproj
    exec "$out/Pipekit.Bench" transfer "$@" ;;
  sync)
    if [[ " $* " == *" --small "* ]]; then exec "$root/bench/sync-small.sh" "$@"; fi
    dotnet build "$root/bench/Pipekit.Bench.Sync/Pipekit.Bench.Sync.csproj" -c Release -nologo -v q -clp:ErrorsOnly
    exec "$root/bench/Pipekit.Bench.Sync/bin/Release/net10.0/linux-x64/Pipekit.Bench.Sync" "$@" ;;
  api)
    exec "$root/bench/api.sh" "$@" ;;
  pipelines)
    dotnet build "$root/bench/Pipekit.Bench.Pipelines/Pipekit.Bench.Pipelines.csproj" -c Release -nologo -v q -clp:ErrorsOnly
    exec "$root/bench/Pipekit.Bench.Pipelines/bin/Release/net10.0/linux-x64/Pipekit.Bench.Pipelines" "$@" ;;
  query)
    exec "$root/bench/query.sh" "$@" ;;
  chains)
    dotnet build "$root/bench/Pipekit.Bench.Chains/Pipekit.Bench.Chains.csproj" -c Release -nologo -v q -clp:ErrorsOnly
    exec "$root/bench/Pipekit.Bench.Chains/bin/Release/net10.0/linux-x64/Pipekit.Bench.Chains" "$@" ;;
  *)
    sed -n '2,/^# The transfer/p' "$0" | sed 's/^# \{0,1\}//'
    exit 2 ;;
esac
