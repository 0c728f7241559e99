#!/usr/bin/env bash
# Builds the benchmark in Release and runs it: bench/bench.sh transfer [rows] [--rounds N] [--skip-insert]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dotnet build "$root/bench/Pipekit.Bench/Pipekit.Bench.csproj" -c Release -nologo -v q -clp:ErrorsOnly
exec "$root/bench/Pipekit.Bench/bin/Release/net10.0/linux-x64/Pipekit.Bench" "$@"
