#!/usr/bin/env bash
# Query benchmark: a 10M-row Parquet dataset (generated once into $TMPDIR/pipekit-bench-query) behind `pipekit serve` as
# its own process. Prints the group-by through POST /sql against in-process DuckDB.NET, a 1M-row result as JSON,
# NDJSON and Arrow (MB/s, rows/s), and queries/s with 8 concurrent clients against 1.
# Usage: bench/query.sh [rows] [seconds-per-concurrency-run]   (the root ./bench.sh dispatches "query" here)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/pipekit" --version >/dev/null   # builds the CLI when its sources changed
dotnet build "$root/bench/Pipekit.Bench.Query/Pipekit.Bench.Query.csproj" -c Release -nologo -v q -clp:NoSummary >/dev/null
export PIPEKIT_BIN="$root/src/Pipekit.Cli/bin/Release/publish/pipekit"
exec dotnet "$root/bench/Pipekit.Bench.Query/bin/Release/net10.0/linux-x64/Pipekit.Bench.Query.dll" "$@"
