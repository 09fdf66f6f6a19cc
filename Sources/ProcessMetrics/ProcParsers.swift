extension ProcessStatsReader {
    /// Parses `/proc/[pid]/stat`. The command name (field 2) is in parentheses and may
    /// itself hold spaces and parentheses, so fields are counted from the last `)`.
    public static func parseStat(_ text: String) -> ProcSelfStat? {
        guard let commEnd = text.lastIndex(of: ")") else { return nil }
        // fields[0] is field 3 (state), so field n is fields[n - 3].
        let fields = text[text.index(after: commEnd)...].split(whereSeparator: { $0 == " " || $0 == "\n" })
        func field(_ number: Int) -> UInt64? {
            fields.count > number - 3 ? UInt64(fields[number - 3]) : nil
        }
        guard let userTicks = field(14), let systemTicks = field(15), let threads = field(20),
              let startTicks = field(22), let virtualMemoryBytes = field(23), let residentPages = field(24)
        else { return nil }
        return ProcSelfStat(
            userTicks: userTicks, systemTicks: systemTicks, threads: threads, startTicks: startTicks,
            virtualMemoryBytes: virtualMemoryBytes, residentPages: residentPages
        )
    }

    /// Parses the boot time (`btime`, Unix seconds) from `/proc/stat`.
    public static func parseBootTime(_ text: String) -> Double? {
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 2, words[0] == "btime", let seconds = UInt64(words[1]) {
                return Double(seconds)
            }
        }
        return nil
    }

    /// Parses the soft limit of "Max open files" from `/proc/[pid]/limits`; `+Inf` for "unlimited".
    public static func parseMaxOpenFiles(_ text: String) -> Double? {
        let prefix = "Max open files"
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }),
              let softLimit = line.dropFirst(prefix.count).split(separator: " ").first
        else { return nil }
        return softLimit == "unlimited" ? .infinity : UInt64(softLimit).map { Double($0) }
    }
}
