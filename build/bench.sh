#!/usr/bin/env bash
# The performance figures of the national-scale targets, each beside a baseline measured in the same run, in one go:
#   build/bench.sh                 the whole set (10³ … 10⁵ embedded units, distributed run, rollup memory; ≤ 15 minutes on 2 cores)
#   build/bench.sh --quick         the same set at smaller sizes (about 2 minutes)
#   build/bench.sh micro [FILTER] [BenchmarkDotNet options]   (or build/bench.sh FILTER …)
#                                  the BenchmarkDotNet micro-benchmarks with a short job (FILTER is a glob on the full name, '*' by default)
#   build/bench.sh rollup-memory [--units 2000,10000] [--env NAME=VALUE]...
#                                  only the aggregation worker's peak memory (rollup-memory), at the full run's sizes by default
# The suite starts RabbitMQ and PostgreSQL (build/services.sh), builds the benchmarks and the service programs in Release,
# prints progress on stderr and the table on stdout, and writes the table to docs/performance.md and the README's
# performance section. A missed target is printed as such; the exit code is non-zero only when a part could not be measured.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
project=tests/Aggregator.Benchmarks/Aggregator.Benchmarks.csproj
dll=tests/Aggregator.Benchmarks/bin/Release/net10.0/Aggregator.Benchmarks.dll
log() { printf '[bench] %s\n' "$*" >&2; }

if [ "${1:-}" = "rollup-memory" ]; then
  shift
  bash build/services.sh
  # shellcheck source=/dev/null
  source build/.services.env
  dotnet build "$project" -c Release -nologo -clp:ErrorsOnly
  exec dotnet "$dll" rollup-memory "$@"
fi

# `micro`, or a first argument that is not an option (a filter, as before the suite existed), runs BenchmarkDotNet.
if [ "${1:-}" = "micro" ] || { [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; }; then
  [ "$1" = "micro" ] && shift
  filter="${1:-*}"
  dotnet build "$project" -c Release
  artifacts="$root/artifacts/benchmarks"
  dotnet "$dll" --filter "$filter" --job short --artifacts "$artifacts" "${@:2}"
  log "reports in $artifacts/results"
  exit 0
fi

# --quick, and for exploring: --only embedded,distributed,memory, --setting Section:Key=VALUE (the services'
# configuration) and --distributed-units N (the throughput run's and the whole-tree rollup's size); a run with any of
# them prints its table and writes no file.
suite_args=("$@")

log "starting RabbitMQ and PostgreSQL (build/services.sh)"
bash build/services.sh
# shellcheck source=/dev/null
source build/.services.env

# The benchmarks project references the three service programs, so one build builds what the suite starts.
log "building the benchmarks and the service programs (Release)"
dotnet build "$project" -c Release -nologo -clp:ErrorsOnly

command_line="build/bench.sh${*:+ $*}"
log "running: $command_line"
dotnet "$dll" suite "${suite_args[@]+"${suite_args[@]}"}" --out docs/performance.md --readme README.md --command "$command_line"
