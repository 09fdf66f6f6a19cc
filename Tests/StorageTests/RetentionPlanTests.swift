import Foundation
import Testing

@testable import Storage

/// What compaction removes under `--storage.retention`: the two newest snapshots and what they
/// need always stay; with a retention, the segments written within it, a base snapshot at or
/// before the oldest of them and everything after it; older snapshots are thinned to the oldest
/// of each UTC hour.
@Suite struct RetentionPlanTests {
    /// 2025-11-24T16:00:00Z, the start of a UTC hour.
    static let hour0 = 1_764_000_000.0

    static func at(_ hours: Double, _ minutes: Double = 0, _ seconds: Double = 0) -> Double {
        hour0 + hours * 3600 + minutes * 60 + seconds
    }

    /// Four hours of an exporter snapshotting at irregular times: snapshot k ends segment k - 1
    /// (written until a second before it); segment 9 is the one being written.
    static let snapshots: [RetentionPlan.StoredFile] = [
        .init(index: 2, modified: at(0, 10)), .init(index: 3, modified: at(0, 40)),
        .init(index: 4, modified: at(1, 10)), .init(index: 5, modified: at(1, 50)),
        .init(index: 6, modified: at(2, 20)), .init(index: 7, modified: at(2, 50)),
        .init(index: 8, modified: at(3, 30)), .init(index: 9, modified: at(3, 55)),
    ]
    static let segments: [RetentionPlan.StoredFile] =
        snapshots.map { .init(index: $0.index - 1, modified: $0.modified - 1) } + [.init(index: 9, modified: at(4))]

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var snapshots: [RetentionPlan.StoredFile]
        var segments: [RetentionPlan.StoredFile]
        var now: Double
        var retention: Double
        var removed: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "fewer than two snapshots: nothing goes", snapshots: [.init(index: 2, modified: at(0, 10))],
            segments: [.init(index: 1, modified: at(0, 9)), .init(index: 2, modified: at(1))], now: at(30), retention: 0,
            removed: []),
        Case(
            name: "retention 0: the two newest snapshots and the segments from the older one on, as before",
            snapshots: snapshots, segments: segments, now: at(4), retention: 0,
            removed: [
                "journal-00000001", "journal-00000002", "journal-00000003", "journal-00000004", "journal-00000005",
                "journal-00000006", "journal-00000007", "snapshot-00000002", "snapshot-00000003", "snapshot-00000004",
                "snapshot-00000005", "snapshot-00000006", "snapshot-00000007",
            ]),
        Case(
            // Segments 5-9 were written within 2 h; the base is the newest hourly snapshot at or
            // before segment 5: snapshot 4 (the oldest of hour 1). Hourly snapshots 2 (hour 0)
            // and 6 (hour 2) stay only if they are after the base: 6 does, 2 goes.
            name: "2h: segments written within it, the hourly snapshot before them, and what follows",
            snapshots: snapshots, segments: segments, now: at(4), retention: 2 * 3600,
            removed: [
                "journal-00000001", "journal-00000002", "journal-00000003", "snapshot-00000002", "snapshot-00000003",
                "snapshot-00000005", "snapshot-00000007",
            ]),
        Case(
            name: "a retention shorter than the two newest snapshots reach back keeps what they keep",
            snapshots: snapshots, segments: segments, now: at(4), retention: 10 * 60,
            removed: [
                "journal-00000001", "journal-00000002", "journal-00000003", "journal-00000004", "journal-00000005",
                "journal-00000006", "journal-00000007", "snapshot-00000002", "snapshot-00000003", "snapshot-00000004",
                "snapshot-00000005", "snapshot-00000006", "snapshot-00000007",
            ]),
        Case(
            // Segment 1 was written within 26 h: the history starts there, with an empty ledger,
            // so every segment stays; the snapshots are thinned all the same.
            name: "26h with the first segment still inside: every segment stays, snapshots thinned",
            snapshots: snapshots, segments: segments, now: at(4), retention: 26 * 3600,
            removed: ["snapshot-00000003", "snapshot-00000005", "snapshot-00000007"]),
        Case(
            name: "the base moves on as the window slides: an hour later, snapshot 6 is the base",
            snapshots: snapshots, segments: segments, now: at(5), retention: 2 * 3600,
            removed: [
                "journal-00000001", "journal-00000002", "journal-00000003", "journal-00000004", "journal-00000005",
                "snapshot-00000002", "snapshot-00000003", "snapshot-00000004", "snapshot-00000005", "snapshot-00000007",
            ]),
        Case(
            // Within one UTC hour the oldest by modification time stays, whatever the indexes say.
            name: "the oldest of an hour is chosen by modification time",
            snapshots: [
                .init(index: 2, modified: at(0, 30)), .init(index: 3, modified: at(0, 20)), .init(index: 4, modified: at(1, 0, 0)),
                .init(index: 5, modified: at(2)), .init(index: 6, modified: at(2, 5)),
            ],
            segments: [1, 2, 3, 4, 5, 6].map { .init(index: $0, modified: at(3)) }, now: at(3), retention: 26 * 3600,
            removed: ["snapshot-00000002"]),
    ]

    @Test(arguments: cases) func removes(_ testCase: Case) {
        #expect(
            RetentionPlan.removals(
                snapshots: testCase.snapshots, segments: testCase.segments, now: testCase.now, retention: testCase.retention)
                == testCase.removed)
    }

    /// `compact(now:)` reads the files' modification times and removes what the plan says.
    @Test func compactionReadsModificationTimes() throws {
        let fixture = StorageFixture()
        for file in Self.snapshots.map({ (StorageFileName.snapshot($0.index), $0.modified) })
            + Self.segments.map({ (StorageFileName.journal($0.index), $0.modified) })
        {
            fixture.write([], to: file.0)
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSince1970: file.1)], ofItemAtPath: fixture.path + "/" + file.0)
        }
        let directory = try StorageDirectory(path: fixture.path, retention: 2 * 3600, fileSystem: fixture.fileSystem)
        #expect(try directory.compact(now: Self.at(4)) == Self.cases[2].removed)
        #expect(fixture.files() == [
            "journal-00000004", "journal-00000005", "journal-00000006", "journal-00000007", "journal-00000008",
            "journal-00000009", "lock", "snapshot-00000004", "snapshot-00000006", "snapshot-00000008", "snapshot-00000009",
        ])
    }
}
