#!/usr/bin/env bash
# Builds the libFuzzer targets (address sanitizer on) into .build-fuzz/:
#   fuzz-event-decoder   EventDecoderFuzzer.swift over AgentEvents
#   fuzz-journal-reader  JournalReaderFuzzer.swift over Storage (and AgentLedger, AgentEvents, Exposition)
#   fuzz-web-config      WebConfigParserFuzzer.swift over WebConfig (and the system's libyaml)
# The package's modules are built by SwiftPM with the sanitizers; each target is linked by swiftc,
# since libFuzzer brings its own main.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.build-fuzz
sanitize=(-Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing)
for target in Storage WebConfig; do
  swift build -c release --scratch-path "$scratch" --target "$target" "${sanitize[@]}"
done
release=$(swift build -c release --scratch-path "$scratch" --show-bin-path)
objects() { for module in "$@"; do ls "$release/$module.build/"*.o; done; }
link() {
  local output=$1 source=$2; shift 2
  # -I Sources/CYAML: WebConfig imports libyaml through that module map.
  swiftc -O -sanitize=fuzzer,address -parse-as-library -I "$release/Modules" -I "$release" -I Sources/CYAML \
    "$source" $(objects "$@") -lyaml -o "$scratch/$output"
}
link fuzz-event-decoder Fuzz/EventDecoderFuzzer.swift AgentEvents
link fuzz-journal-reader Fuzz/JournalReaderFuzzer.swift AgentEvents AgentLedger Exposition Storage
link fuzz-web-config Fuzz/WebConfigParserFuzzer.swift WebConfig
echo "built $scratch/fuzz-event-decoder $scratch/fuzz-journal-reader $scratch/fuzz-web-config"
