import AgentLedger
@testable import Storage

/// libFuzzer target: any bytes as a journal segment and as a snapshot file, read the way
/// recovery reads them. Nothing may trap; a record that decodes re-encodes to a form that
/// decodes to the same bytes again; and replaying what decodes through a ledger must not trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJournalReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let isSegment = (try? FileHeader.decode(bytes, kind: .journal)) != nil
    _ = try? SnapshotFile.decode(bytes)
    let scan = RecordFrame.scan(bytes, from: isSegment ? FileHeader.size : 0)
    precondition(scan.goodEnd <= bytes.count)
    var ledger = AgentLedger()
    for payload in scan.payloads {
        guard let record = JournalRecord(decoding: payload) else { continue }
        let again = JournalRecord(decoding: record.encoded[...])
        precondition(again?.encoded == record.encoded, "a decoded record does not survive re-encoding")
        ledger.apply(record)
    }
    return 0
}
