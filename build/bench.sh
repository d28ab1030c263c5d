#!/usr/bin/env bash
# Builds the benchmarks in Release and runs them with a short job (3 warm-ups, 3 iterations, 1 launch), so a run
# finishes in minutes; BenchmarkDotNet prints the summary tables at the end.
#   build/bench.sh                 every benchmark
#   build/bench.sh '*Validation*'  a filter (BenchmarkDotNet glob on the full benchmark name)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
filter="${1:-*}"
project=tests/Aggregator.Benchmarks/Aggregator.Benchmarks.csproj
dotnet build "$project" -c Release
artifacts="$root/artifacts/benchmarks"
dotnet "tests/Aggregator.Benchmarks/bin/Release/net10.0/Aggregator.Benchmarks.dll" \
  --filter "$filter" --job short --artifacts "$artifacts" "${@:2}"
echo "[bench] reports in $artifacts/results"
