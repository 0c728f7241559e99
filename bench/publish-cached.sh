#!/usr/bin/env bash
# Publishes PROJECT with deploy/publish.sh into OUT (self-contained, ReadyToRun composite: the build deploy.sh installs),
# but only when something it is built from, or publish.sh itself, is newer than the last publish (OUT.stamp). The stamp
# is taken before publishing and kept only when the publish succeeds, so an edit made meanwhile publishes again.
# Usage: bench/publish-cached.sh OUT [PROJECT]   (PROJECT relative to the repository; default the CLI)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ $# -ge 1 && $# -le 2 ]] || { echo "usage: bench/publish-cached.sh OUT [PROJECT]" >&2; exit 2; }
out="$1"
project="${2:-src/Pipekit.Cli/Pipekit.Cli.csproj}"
stamp="$out.stamp"
sources=("$root/src" "$root/sdk" "$root/Directory.Build.props" "$root/Directory.Packages.props" "$root/global.json"
  "$root/.editorconfig" "$root/deploy/publish.sh")
[[ "$project" == bench/* ]] && sources+=("$root/$(dirname "$project")" "$root/tests/Pipekit.Testing")
if [[ -f "$stamp" && -z "$(find "${sources[@]}" \( -name bin -o -name obj \) -prune -o -newer "$stamp" -type f -print -quit 2>/dev/null)" ]]; then
  exit 0
fi
echo "bench: publishing $(basename "$project" .csproj) (deploy/publish.sh → $out; a few minutes)…" >&2
started=$(date +%s)
mkdir -p "$(dirname "$stamp")"
touch "$stamp.next"
rm -rf "$out"
"$root/deploy/publish.sh" "$out" "$project" >&2
mv "$stamp.next" "$stamp"
echo "bench: published in $(( $(date +%s) - started )) s" >&2
