#!/usr/bin/env bash
# Runs both libFuzzer targets from their seed corpus (Tests/FuzzCorpus/<target>/), each for
# SECONDS (default 50) or, with a second argument, for that many executions; a crash fails the
# run and leaves its input in .build-fuzz/. Builds them first (Fuzz/build.sh).
#   bash Fuzz/run.sh            the bounded run of bash .ci/test (2 x 50 s)
#   bash Fuzz/run.sh 0 10000000 a campaign of 10 million executions per target
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-50}
runs=${2:--1}
bash Fuzz/build.sh
# Swift's own crash backtracer trips over AddressSanitizer; libFuzzer prints the stack itself.
export SWIFT_BACKTRACE=enable=no
for target in event-decoder journal-reader; do
  corpus=.build-fuzz/corpus-$target
  mkdir -p "$corpus"
  limit=(-runs="$runs")
  [ "$seconds" -gt 0 ] && limit+=(-max_total_time="$seconds")
  echo "fuzzing $target: ${limit[*]}"
  .build-fuzz/fuzz-$target "${limit[@]}" -artifact_prefix=.build-fuzz/crash-$target- -print_final_stats=1 \
    "$corpus" Tests/FuzzCorpus/$target 2>&1 | grep -E "^#|^stat::|ERROR|SUMMARY|Done" | tail -12
  [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz-$target found a crash (input in .build-fuzz/)" >&2; exit 1; }
done
