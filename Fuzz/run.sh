#!/usr/bin/env bash
# Runs the three libFuzzer targets from their seed corpus (Tests/FuzzCorpus/<target>/), each for
# SECONDS (default 25) or, with a second argument, for that many executions; a crash fails the
# run and leaves its input in .build-fuzz/. Builds them first (Fuzz/build.sh).
#   bash Fuzz/run.sh            the bounded run of bash .ci/test (3 x 25 s)
#   bash Fuzz/run.sh 0 10000000 a campaign of 10 million executions per target
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-25}
runs=${2:--1}
bash Fuzz/build.sh
# Swift's own crash backtracer trips over AddressSanitizer; libFuzzer prints the stack itself.
export SWIFT_BACKTRACE=enable=no
for target in event-decoder journal-reader web-config; do
  corpus=.build-fuzz/corpus-$target
  mkdir -p "$corpus"
  limit=(-runs="$runs")
  [ "$seconds" -gt 0 ] && limit+=(-max_total_time="$seconds")
  echo "fuzzing $target: ${limit[*]}"
  log=.build-fuzz/$target.log
  if ! .build-fuzz/fuzz-$target "${limit[@]}" -artifact_prefix=.build-fuzz/crash-$target- -print_final_stats=1 \
    "$corpus" Tests/FuzzCorpus/$target > "$log" 2>&1; then
    tail -60 "$log" >&2
    echo "fuzz-$target failed: the whole output is in $log, the input that crashed in .build-fuzz/crash-$target-*" >&2
    exit 1
  fi
  grep -E "^stat::|^Done" "$log"
done
