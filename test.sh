#!/usr/bin/env bash
# Runs every test suite and ends with one line: "N passed, N failed, N skipped" summed over all suites.
# Exits non-zero when anything failed.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0 failed=0 skipped=0

add_counts() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + $3)); }

echo "== building"
if ! dotnet build Pipekit.slnx -nologo -v q -clp:NoSummary > "$work/build.log" 2>&1; then
  grep -E "error|FAILED" "$work/build.log" | sort -u | head -40
  echo "build failed"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

echo "== .NET test projects"
dotnet test Pipekit.slnx --no-build -nologo --logger "trx" --results-directory "$work/trx" > "$work/dotnet.log" 2>&1
dotnet_rc=$?
# Per-test outcomes come from the TRX files; the console log is shown only for failures and crashes.
read -r p f s < <(python3 - "$work/trx" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
p = f = s = 0
for path in sorted(glob.glob(sys.argv[1] + "/*.trx")):
    root = ET.parse(path).getroot()
    name = root.find(".//t:TestSettings", ns)
    results = root.findall(".//t:UnitTestResult", ns)
    ap = sum(r.get("outcome") == "Passed" for r in results)
    af = sum(r.get("outcome") == "Failed" for r in results)
    ask = sum(r.get("outcome") == "NotExecuted" for r in results)
    storage = root.find(".//t:UnitTest", ns)
    assembly = storage.get("storage").rsplit("/", 1)[-1] if storage is not None else path
    print(f"  {assembly}: {ap} passed, {af} failed, {ask} skipped", file=sys.stderr)
    for r in results:
        if r.get("outcome") == "Failed":
            msg = r.find(".//t:Message", ns)
            print(f"    FAILED {r.get('testName')}: {(msg.text or '').strip()[:400] if msg is not None else ''}", file=sys.stderr)
        elif r.get("outcome") == "NotExecuted":
            msg = r.find(".//t:Message", ns)
            reason = (msg.text or "").strip() if msg is not None else ""
            print(f"    skipped {r.get('testName')}: {reason}", file=sys.stderr)
    p += ap; f += af; s += ask
print(p, f, s)
PY
)
if [[ $dotnet_rc -ne 0 && $f -eq 0 ]]; then
  tail -40 "$work/dotnet.log"
  echo "dotnet test exited $dotnet_rc without reporting a failed test (crash or build problem): counted as 1 failure"
  f=1
fi
add_counts "$p" "$f" "$s"

for suite in "$root"/tests/*.suite.sh; do
  [[ -e "$suite" ]] || continue
  echo "== $(basename "$suite")"
  out="$(bash "$suite" 2>&1)"; rc=$?
  echo "$out" | tail -30
  line="$(echo "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -1)"
  if [[ -z "$line" ]]; then add_counts 0 1 0; continue; fi
  read -r p f s < <(echo "$line" | awk -F'[ ,]+' '{print $1, $3, ($5==""?0:$5)}')
  [[ $rc -ne 0 && $f -eq 0 ]] && f=1
  add_counts "$p" "$f" "$s"
done

echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[[ $failed -eq 0 ]]
