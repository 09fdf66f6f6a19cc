import AgentEvents
import AgentLedger
import AgentSimulation
import Testing

@testable import Storage

@Suite struct JournalRecordTests {
    @Test func everyRecordDecodesToItself() {
        let records = RecordStreams.edgeEvents() + RecordStreams.contactCenter(seed: 3)
        for record in records {
            #expect(JournalRecord(decoding: record.encoded[...]) == record)
        }
    }

    static let pauseCodes = JournalRecord.pauseCodes(
        [
            "6666": [
                PauseCodeRow(agentLogID: 501, pauseEpoch: 1_764_000_000, code: "BREAK"),
                PauseCodeRow(agentLogID: 4_294_967_295, pauseEpoch: 1_764_000_040.5, code: ""),
            ],
            "Zoë": [], "b\"x": [PauseCodeRow(agentLogID: 0, pauseEpoch: 0, code: "日本")],
        ], polledAt: 1_764_000_100.25)

    @Test func pauseCodesDecodeToThemselvesInUserOrder() {
        #expect(JournalRecord(decoding: Self.pauseCodes.encoded[...]) == Self.pauseCodes)
        let empty = JournalRecord.pauseCodes([:], polledAt: 1)
        #expect(JournalRecord(decoding: empty.encoded[...]) == empty)
        // The same poll, however the dictionary iterates, is the same bytes.
        guard case .pauseCodes(let rows, let polledAt) = Self.pauseCodes else { return }
        #expect(JournalRecord.pauseCodes(Dictionary(uniqueKeysWithValues: rows.reversed()), polledAt: polledAt).encoded == Self.pauseCodes.encoded)
    }

    @Test func aHeartbeatIsSmall() {
        let heartbeat = JournalRecord.event(
            AgentEvent(
                user: "6666", event: .known(.agentAlert), message: "CHECK-FOR-CALL COMPLETE: 881", leadID: nil,
                counter: 1234, epoch: 1_764_140_000, agentLogID: 881), receivedAt: 1_764_140_000.25)
        // kind 1 + time 8 + user 5 + name 12 + message 29 + flags 1 + counter 2 + epoch 5 + agent_log_id 2
        #expect(heartbeat.encoded.count == 65)
    }

    @Test func truncatedOrPaddedPayloadsAreRefused() {
        for record in RecordStreams.edgeEvents() + [Self.pauseCodes] {
            let bytes = record.encoded
            for cut in [0, 1, 5, 9, bytes.count - 1] where cut < bytes.count {
                #expect(JournalRecord(decoding: bytes[..<cut]) == nil, "cut at \(cut)")
            }
            #expect(JournalRecord(decoding: (bytes + [0])[...]) == nil)
        }
        #expect(JournalRecord(decoding: [9, 0, 0, 0, 0, 0, 0, 0, 0][...]) == nil)
        // A lead_id beyond UInt32 in a checksum-valid record is refused, not truncated.
        var writer = ByteWriter()
        writer.u8(1)
        writer.double(0)
        writer.string("u")
        writer.string("logged_in")
        writer.string("")
        writer.u8(1)
        writer.varint(UInt64(UInt32.max) + 1)
        #expect(JournalRecord(decoding: writer.bytes[...]) == nil)
    }

    @Test func garbageNeverTraps() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...40, using: &rng)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if !bytes.isEmpty { bytes[0] = UInt8.random(in: 1...3, using: &rng) }
            _ = JournalRecord(decoding: bytes[...])
        }
    }
}
