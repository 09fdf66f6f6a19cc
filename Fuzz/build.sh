#!/usr/bin/env bash
# Builds the libFuzzer targets (address sanitizer on) into .build-fuzz/:
#   fuzz-event-decoder   EventDecoderFuzzer.swift over AgentEvents
#   fuzz-journal-reader  JournalReaderFuzzer.swift over Storage (and AgentLedger, AgentEvents)
#   fuzz-web-config      WebConfigParserFuzzer.swift over WebConfig (and Yams, libyaml)
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
# A C module's objects are one folder down (CYaml.build/src/).
objects() { for module in "$@"; do find "$release/$module.build" -name '*.o'; done; }
link() {
  local output=$1 source=$2; shift 2
  # Yams imports libyaml's C module (CYaml) from its checkout.
  swiftc -O -sanitize=fuzzer,address -parse-as-library -I "$release/Modules" -I "$release" \
    -Xcc -fmodule-map-file="$scratch/checkouts/Yams/Sources/CYaml/include/module.modulemap" \
    "$source" $(objects "$@") -o "$scratch/$output"
}
link fuzz-event-decoder Fuzz/EventDecoderFuzzer.swift AgentEvents
link fuzz-journal-reader Fuzz/JournalReaderFuzzer.swift AgentEvents AgentLedger Storage
link fuzz-web-config Fuzz/WebConfigParserFuzzer.swift WebConfig Yams CYaml
echo "built $scratch/fuzz-event-decoder $scratch/fuzz-journal-reader $scratch/fuzz-web-config"
