#!/usr/bin/env bash
# ./bench.sh transfer [rows]   — see bench/bench.sh
exec "$(dirname "$0")/bench/bench.sh" "$@"
