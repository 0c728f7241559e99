#!/usr/bin/env bash
# API benchmark: seeds 1,000 modules and 200,000 runs, starts `pipekit serve` on them as its own process, then runs
# 50 concurrent clients for 30 s against GET /api/runs?limit=50, GET /api/modules and GET /api/runs/{id}; prints
# p50/p99 and requests/s per route and the server's CPU time per request.
# Usage: bench/api.sh [seconds] [clients] [route,route,...] [--churn MS]  (--churn: edit a module every MS ms)   (the root ./bench.sh dispatches "api" here)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/pipekit" --version >/dev/null   # builds the CLI when its sources changed
dotnet build "$root/bench/Pipekit.Bench.Api/Pipekit.Bench.Api.csproj" -c Release -nologo -v q -clp:NoSummary >/dev/null
export PIPEKIT_BIN="$root/src/Pipekit.Cli/bin/Release/net10.0/linux-x64/pipekit"
exec dotnet "$root/bench/Pipekit.Bench.Api/bin/Release/net10.0/linux-x64/Pipekit.Bench.Api.dll" "$@"
