// Micro-benchmarks of the hot paths, in process (no HTTP): decoding a push, the ledger taking
// it, a scrape's snapshot, and a whole scrape's render, at 10,000 agents. Each is timed over
// many operations, 3 rounds, median. The render is compared with copying the same number of
// bytes (memcpy), measured in the same run: "rendering at memcpy speed" is that ratio.
//
//   swift run -c release vicidial-microbench
import AgentEvents
import AgentLedger
import HTTPServer
import VicidialExporter

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Seconds per operation: `body` runs `operations` operations; median of 3 rounds.
func measure(_ operations: Int, _ body: () -> Void) -> Double {
    var rounds: [Double] = []
    for _ in 0..<3 {
        let started = now()
        body()
        rounds.append((now() - started) / Double(operations))
    }
    return rounds.sorted()[1]
}

func report(_ name: String, _ seconds: Double, _ note: String = "") {
    let figure = seconds >= 1e-3 ? "\(Int((seconds * 1e3).rounded())) ms" : "\(Int((seconds * 1e9).rounded())) ns"
    print("| \(name) | \(figure) | \(note) |")
}

let agents = 10_000
let epoch: Int64 = 1_796_400_000
let decoder = EventDecoder()
let heartbeat = Array("user=sim00042&event=agent_alert&message=CHECK-FOR-CALL+COMPLETE+1&lead_id=&counter=17&epoch=1796400017&agent_log_id=880042".utf8)

print("| operation | time | |\n|---|---|---|")
var decoded = 0
report("decode one agent-screen push (form body)", measure(100_000) {
    for _ in 0..<100_000 {
        if case .success = decoder.decode(body: heartbeat, contentType: "application/x-www-form-urlencoded", query: nil) { decoded += 1 }
    }
})

// A shift's worth of pushes for 10,000 agents: a login, then heartbeats in counter order.
let pushes: [AgentEvent] = (0..<20).flatMap { counter in
    (0..<agents).map { agent in
        AgentEvent(
            user: "sim\(agent)", event: counter == 0 ? .known(.loggedIn) : .known(.agentAlert),
            message: counter == 0 ? "" : "CHECK-FOR-CALL COMPLETE 1", counter: counter, epoch: epoch + Int64(counter))
    }
}
var ledger = AgentLedger(configuration: LedgerConfiguration(maxClockSkew: 1e9, maxAgents: agents))
report("ledger ingest, 10,000 agents", measure(pushes.count) {
    ledger = AgentLedger(configuration: LedgerConfiguration(maxClockSkew: 1e9, maxAgents: agents))
    for (index, push) in pushes.enumerated() { _ = ledger.ingest(push, receivedAt: Double(epoch) + Double(index / agents)) }
})
var tracked = 0
report("snapshot (advance + copy) at 10,000 agents, one push after each", measure(1_000) {
    for index in 0..<1_000 {
        tracked += ledger.snapshot(at: Double(epoch) + 30 + Double(index) / 100).agentCount
        _ = ledger.ingest(pushes[index % pushes.count], receivedAt: Double(epoch) + 30 + Double(index) / 100)
    }
})

let exporter = Exporter(configuration: ExporterConfiguration(ledger: LedgerConfiguration(maxClockSkew: 1e9, maxAgents: agents)))
exporter.markReady()
for push in pushes.prefix(agents * 5) {
    let body = "user=\(push.user)&event=\(push.event.rawValue)&message=\(push.message)&counter=\(push.counter!)&epoch=\(push.epoch!)"
    _ = exporter.handle(HTTPRequest(method: "POST", path: "/event", body: Array(body.utf8)))
}
var pageBytes = 0
let render = measure(10) {
    for _ in 0..<10 { pageBytes = exporter.handle(HTTPRequest(method: "GET", path: "/metrics")).lentBody?.count ?? 0 }
}
let source = [UInt8](repeating: 65, count: pageBytes)
var target = [UInt8](repeating: 0, count: pageBytes)
let copy = measure(10) {
    for _ in 0..<10 { target.withUnsafeMutableBytes { target in source.withUnsafeBytes { _ = memcpy(target.baseAddress!, $0.baseAddress!, pageBytes) } } }
}
let ratio = Int((render / copy).rounded())
report("scrape render at 10,000 agents (\(pageBytes / 1000) kB)", render, "\(ratio)x a memcpy of the same bytes (\(Int((copy * 1e6).rounded())) µs)")
if decoded == 0 || tracked == 0 { print("(nothing measured)") }
