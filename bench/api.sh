#!/usr/bin/env bash
# API benchmark: seeds 1,000 modules and 200,000 runs, then 50 concurrent clients for 30 s against
# GET /api/runs?limit=50, GET /api/modules and GET /api/runs/{id}; prints p50/p99 and requests/s per route.
# Usage: bench/api.sh [seconds] [clients]   (the root ./bench.sh dispatches "api" here)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dotnet build "$root/bench/Pipekit.Bench.Api/Pipekit.Bench.Api.csproj" -c Release -nologo -v q -clp:NoSummary >/dev/null
exec dotnet "$root/bench/Pipekit.Bench.Api/bin/Release/net10.0/linux-x64/Pipekit.Bench.Api.dll" "$@"
