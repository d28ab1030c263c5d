#!/usr/bin/env bash
# The README's test command: restore, build, start the real services, run every test project, and end
# with one plain summary line: "tests: N passed, N failed, N skipped".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration="${CONFIGURATION:-Release}"
results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"

bash build/services.sh || echo "[test] build/services.sh failed; integration tests will report why they skip" >&2
# shellcheck disable=SC1091
[ -f build/.services.env ] && source build/.services.env

dotnet restore Aggregator.sln || exit 1
dotnet build Aggregator.sln -c "$configuration" --no-restore -warnaserror || exit 1

projects=$(find tests -name '*.Tests.csproj' | sort)
[ -n "${TEST_FILTER:-}" ] && projects=$(echo "$projects" | grep -E "$TEST_FILTER")
run_failed=0
for project in $projects; do
  name="$(basename "$project" .csproj)"
  echo "[test] $name"
  dotnet test "$project" -c "$configuration" --no-build \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" || run_failed=1
done

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(get passed))); failed=$((failed + $(get failed)))
  skipped=$((skipped + $(get total) - $(get executed)))
done

if [ "$skipped" -gt 0 ]; then
  echo "[test] skipped tests and why:"
  for trx in "$results"/*.trx; do
    python3 - "$trx" <<'PY' 2>/dev/null || grep -o 'testName="[^"]*"[^>]*outcome="NotExecuted"' "$trx"
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for r in ET.parse(sys.argv[1]).getroot().iter("{%s}UnitTestResult" % ns["t"]):
    if r.get("outcome") == "NotExecuted":
        msg = r.find(".//t:Message", ns)
        print("  SKIPPED %s: %s" % (r.get("testName"), (msg.text or "").strip() if msg is not None else "(no reason)"))
PY
  done
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$run_failed" -eq 0 ]
