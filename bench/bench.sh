#!/usr/bin/env bash
# Publishes the benchmark in Release with ReadyToRun (as a deployed pipekit binary would be, so that JIT warm-up
# is not what is measured) and runs it: bench/bench.sh transfer [rows] [--rounds N] [--skip-insert]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/bench/Pipekit.Bench/bin/publish"
dotnet publish "$root/bench/Pipekit.Bench/Pipekit.Bench.csproj" -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -o "$out" -nologo -v q -clp:ErrorsOnly
exec "$out/Pipekit.Bench" "$@"
