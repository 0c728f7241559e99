#!/usr/bin/env bash
# The Python SDK's unittest suite (sdk/python/tests) against a real SDK socket server
# (tests/Pipekit.Pipelines.SdkHost, built by test.sh with the solution). Ends with "N passed, N failed, N skipped".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
host="$root/tests/Pipekit.Pipelines.SdkHost/bin/Debug/net10.0/linux-x64/Pipekit.Pipelines.SdkHost"
if [[ ! -x "$host" ]]; then
  dotnet build "$root/tests/Pipekit.Pipelines.SdkHost/Pipekit.Pipelines.SdkHost.csproj" -nologo -v q -clp:ErrorsOnly >&2 || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
fi
out="$(cd "$root/sdk/python" && PIPEKIT_SDK_HOST="$host" python3 -m unittest discover -s tests -t . -v 2>&1)"
rc=$?
echo "$out" | grep -E "(FAIL|ERROR|skipped)" | head -30
total="$(echo "$out" | sed -n 's/^Ran \([0-9]*\) tests\{0,1\}.*/\1/p' | tail -1)"
failures="$(echo "$out" | sed -n 's/.*failures=\([0-9]*\).*/\1/p' | tail -1)"
errors="$(echo "$out" | sed -n 's/.*errors=\([0-9]*\).*/\1/p' | tail -1)"
skipped="$(echo "$out" | sed -n 's/.*skipped=\([0-9]*\).*/\1/p' | tail -1)"
total=${total:-0}; failed=$(( ${failures:-0} + ${errors:-0} )); skipped=${skipped:-0}
[[ $rc -ne 0 && $failed -eq 0 ]] && failed=1
echo "$((total - failed - skipped)) passed, ${failed} failed, ${skipped} skipped"
[[ $failed -eq 0 ]]
