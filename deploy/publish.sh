#!/usr/bin/env bash
# Publishes a Pipekit executable the way deploy.sh installs it: self-contained linux-x64, ReadyToRun composite (the
# framework precompiled together with the app, so a short command JIT-compiles little), from a copy of the sources
# without bin/ and obj/. A composite image must not pick up the framework-dependent ReadyToRun code that ./pipekit
# leaves in obj/, or the runtime refuses to start. Takes a few minutes.
# Usage: deploy/publish.sh OUT_DIR [PROJECT]
#   PROJECT: a .csproj relative to the repository (default src/Pipekit.Cli/Pipekit.Cli.csproj; the benchmarks pass theirs)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ $# -ge 1 && $# -le 2 ]] || { echo "usage: deploy/publish.sh OUT_DIR [PROJECT]" >&2; exit 2; }
out="$1"
project="${2:-src/Pipekit.Cli/Pipekit.Cli.csproj}"
[[ -f "$repo/$project" ]] || { echo "publish: no project '$project' in $repo" >&2; exit 2; }
command -v dotnet > /dev/null || { echo "publish: dotnet is not on PATH; install the .NET 10 SDK" >&2; exit 1; }
sources="$(mktemp -d /tmp/pipekit-publish-src-XXXXXX)"
trap 'rm -rf "$sources"' EXIT
parts=(.editorconfig Directory.Build.props Directory.Packages.props global.json sdk src)
[[ "$project" == bench/* ]] && parts+=(bench tests)  # the benchmarks build on tests/Pipekit.Testing
tar -C "$repo" --exclude=bin --exclude=obj -cf - "${parts[@]}" | tar -C "$sources" -xf -
dotnet publish "$sources/$project" -c Release -r linux-x64 --self-contained true \
  -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true \
  -p:SourceRevisionId="$(git -C "$repo" rev-parse HEAD 2>/dev/null || echo unknown)" \
  -o "$out" -nologo -v q -clp:NoSummary
