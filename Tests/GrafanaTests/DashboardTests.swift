import Foundation
import Testing

/// Grafana/dashboards/*.json: well-formed, portable (a `datasource` variable, never an import-time
/// `${DS_...}` input), documented, with units, and reading only metrics that exist: exposed by a
/// real exporter scrape, defined by a recording rule, or made by Prometheus itself.
struct DashboardTests {
    /// The panel types the dashboards use; a typo here would render as "unknown panel".
    static let panelTypes: Set<String> = ["row", "stat", "bargauge", "timeseries", "table", "state-timeline", "text"]

    /// Grafana unit ids the dashboards use (a subset of Grafana's valueFormats categories).
    static let units: Set<String> = [
        "none", "short", "percentunit", "s", "dtdurations", "dateTimeAsIso", "bytes", "reqps", "cps", "cpm",
    ]

    /// Range windows allowed in expressions: Grafana's `$__rate_interval` for rates, the dashboard's
    /// `$__range` for totals over the time range, and `1h` for hour-by-hour bars.
    static let windows: Set<String> = ["$__rate_interval", "$__range", "1h"]

    /// Variables Grafana defines itself.
    static let builtInVariables: Set<String> = ["__rate_interval", "__range", "__interval", "__range_s", "__interval_ms"]

    static let datasourceReference = ["type": "prometheus", "uid": "${datasource}"]

    // MARK: The set of files

    @Test func everyDashboardFileIsChecked() throws {
        #expect(try DashboardRepository.dashboardFilesPresent() == DashboardRepository.dashboardNames.map { $0 + ".json" }.sorted())
    }

    @Test func uidsAreTheFileNamesAndUnique() throws {
        let uids = try DashboardRepository.dashboardNames.map { try DashboardDocument(named: $0).json["uid"] as? String }
        #expect(uids == DashboardRepository.dashboardNames)
        #expect(Set(uids).count == uids.count)
    }

    @Test func titlesAreUnique() throws {
        let titles = try DashboardRepository.dashboardNames.map { try DashboardDocument(named: $0).json["title"] as? String ?? "" }
        #expect(Set(titles).count == titles.count)
        #expect(!titles.contains(""))
    }

    // MARK: Each dashboard

    @Test(arguments: DashboardRepository.dashboardNames)
    func dashboardSettings(_ name: String) throws {
        let dashboard = try DashboardDocument(named: name)
        #expect(dashboard.json["uid"] as? String == name)
        #expect(!(dashboard.json["title"] as? String ?? "").isEmpty)
        #expect(!(dashboard.json["description"] as? String ?? "").isEmpty)
        #expect(dashboard.json["tags"] as? [String] == ["vicidial"])
        #expect(dashboard.json["refresh"] as? String == "30s")
        #expect(dashboard.json["schemaVersion"] as? Int == 39)
        // Provisioned and imported dashboards get their id from Grafana.
        #expect(dashboard.json["id"] is NSNull)
    }

    @Test(arguments: DashboardRepository.dashboardNames)
    func portableDatasource(_ name: String) throws {
        let dashboard = try DashboardDocument(named: name)
        #expect(!dashboard.text.contains("${DS_"), "an export-for-sharing placeholder: use ${datasource}")
        #expect(!dashboard.text.contains("__inputs"))
        #expect(!dashboard.text.contains("__requires"))
        let variable = try #require(dashboard.variable(named: "datasource"))
        #expect(variable["type"] as? String == "datasource")
        #expect(variable["query"] as? String == "prometheus")
        #expect(variable["multi"] as? Bool != true)
        // The variable comes first: the others query through it.
        #expect(dashboard.variables.first?["name"] as? String == "datasource")
        for variable in dashboard.variables where variable["type"] as? String == "query" {
            #expect(variable["datasource"] as? [String: String] == Self.datasourceReference, "variable \(variable["name"] ?? "?")")
        }
    }

    @Test(arguments: DashboardRepository.dashboardNames)
    func everyPanelIsDocumentedWithUnitAndQuery(_ name: String) throws {
        let dashboard = try DashboardDocument(named: name)
        #expect(!dashboard.panels.isEmpty)
        for panel in dashboard.panels {
            let title = DashboardDocument.title(of: panel)
            let type = panel["type"] as? String ?? ""
            #expect(Self.panelTypes.contains(type), "\(name): panel \"\(title)\" has type \(type)")
            #expect(!title.isEmpty && title != "(untitled)", "\(name): a panel has no title")
            #expect(!(panel["description"] as? String ?? "").isEmpty, "\(name): panel \"\(title)\" has no description")
            if DashboardDocument.isRow(panel) || type == "text" { continue }

            let units = DashboardDocument.units(of: panel)
            #expect(!(units.first ?? "").isEmpty, "\(name): panel \"\(title)\" has no unit")
            for unit in units {
                #expect(Self.units.contains(unit), "\(name): panel \"\(title)\" has unit \"\(unit)\"")
            }

            #expect(panel["datasource"] as? [String: String] == Self.datasourceReference, "\(name): panel \"\(title)\"")
            let targets = panel["targets"] as? [[String: Any]] ?? []
            #expect(!targets.isEmpty, "\(name): panel \"\(title)\" has no target")
            let refIds = targets.map { $0["refId"] as? String ?? "" }
            #expect(Set(refIds).count == refIds.count && !refIds.contains(""), "\(name): panel \"\(title)\" refIds \(refIds)")
            for target in targets {
                let expr = (target["expr"] as? String ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(!expr.isEmpty, "\(name): panel \"\(title)\" has a target without expr")
                #expect(
                    target["datasource"] as? [String: String] == Self.datasourceReference,
                    "\(name): panel \"\(title)\" target \(target["refId"] ?? "?")")
            }
        }
    }

    @Test(arguments: DashboardRepository.dashboardNames)
    func panelIdsAreUniqueAndTheGridHasNoOverlap(_ name: String) throws {
        let dashboard = try DashboardDocument(named: name)
        let ids = dashboard.panels.map { $0["id"] as? Int ?? 0 }
        #expect(Set(ids).count == ids.count && !ids.contains(0), "\(name): panel ids \(ids)")

        var taken: [(title: String, x: Int, y: Int, w: Int, h: Int)] = []
        for panel in dashboard.panels {
            let title = DashboardDocument.title(of: panel)
            let grid = panel["gridPos"] as? [String: Int] ?? [:]
            guard let x = grid["x"], let y = grid["y"], let w = grid["w"], let h = grid["h"] else {
                Issue.record("\(name): panel \"\(title)\" has no complete gridPos")
                continue
            }
            #expect(x >= 0 && w > 0 && h > 0 && x + w <= 24, "\(name): panel \"\(title)\" at \(grid)")
            for other in taken where x < other.x + other.w && other.x < x + w && y < other.y + other.h && other.y < y + h {
                Issue.record("\(name): panel \"\(title)\" overlaps \"\(other.title)\"")
            }
            taken.append((title, x, y, w, h))
        }
    }

    /// Every metric an expression reads exists: the exporter exposes it, a recording rule defines it,
    /// or Prometheus makes it. Expressions the scanner cannot read fail here too.
    @Test(arguments: DashboardRepository.dashboardNames)
    func everyMetricNameExists(_ name: String) throws {
        let dashboard = try DashboardDocument(named: name)
        let known = DashboardScrape.sampleNames.union(DashboardRecordingRules.names).union(DashboardPrometheusBuiltins.names)
        for (origin, expr) in dashboard.expressions {
            do {
                let metrics = try DashboardPromQL.metricNames(in: expr)
                #expect(!metrics.isEmpty, "\(origin) reads no metric")
                for metric in metrics where !known.contains(metric) {
                    Issue.record("\(origin): \(metric) is neither exposed, recorded nor built in")
                }
            } catch {
                Issue.record("\(origin): \(error) in \(expr)")
            }
        }
    }

    /// Rates use `$__rate_interval`; the only fixed window is an hour, in panels that step by the hour;
    /// `$__range` totals are instant queries (a range query would slide the window).
    @Test(arguments: DashboardRepository.dashboardNames)
    func rangeWindows(_ name: String) throws {
        let dashboard = try DashboardDocument(named: name)
        for panel in dashboard.panels {
            let title = DashboardDocument.title(of: panel)
            for target in panel["targets"] as? [[String: Any]] ?? [] {
                let scan = try DashboardPromQL.scan(target["expr"] as? String ?? "")
                for window in scan.rangeWindows {
                    #expect(Self.windows.contains(window), "\(name): panel \"\(title)\" uses [\(window)]")
                    if window == "1h" {
                        #expect(panel["interval"] as? String == "1h", "\(name): panel \"\(title)\": [1h] bars need interval 1h")
                    }
                    if window == "$__range" {
                        #expect(target["instant"] as? Bool == true, "\(name): panel \"\(title)\": $__range needs an instant query")
                    }
                }
            }
        }
    }

    @Test(arguments: DashboardRepository.dashboardNames)
    func everyVariableUsedIsDefined(_ name: String) throws {
        let dashboard = try DashboardDocument(named: name)
        let defined = Set(dashboard.variables.compactMap { $0["name"] as? String }).union(Self.builtInVariables)
        for (origin, expr) in dashboard.expressions {
            for variable in try DashboardPromQL.scan(expr).variables where !defined.contains(variable) {
                Issue.record("\(origin) uses $\(variable), which the dashboard does not define")
            }
        }
    }

    // MARK: Dashboard by dashboard

    @Test func agentDashboardFiltersEveryQueryByUser() throws {
        let dashboard = try DashboardDocument(named: "vicidial-agent")
        let user = try #require(dashboard.variable(named: "user"))
        #expect(user["type"] as? String == "query")
        #expect(user["multi"] as? Bool == true)
        #expect(user["includeAll"] as? Bool == true)
        #expect(DashboardDocument.variableQuery(user) == "label_values(vicidial_agent_state_seconds_total, user)")
        for (origin, expr) in dashboard.expressions where !origin.hasSuffix("variable $user") {
            #expect(try DashboardPromQL.scan(expr).variables.contains("user"), "\(origin) ignores $user")
        }
        #expect(dashboard.panels.contains { $0["type"] as? String == "state-timeline" })
    }

    @Test func healthDashboardFiltersEveryQueryByTarget() throws {
        let dashboard = try DashboardDocument(named: "vicidial-exporter-health")
        for variable in ["job", "instance"] {
            let definition = try #require(dashboard.variable(named: variable))
            #expect(definition["type"] as? String == "query")
            #expect(definition["includeAll"] as? Bool == true)
        }
        for (origin, expr) in dashboard.expressions where origin.contains("panel") {
            let variables = try DashboardPromQL.scan(expr).variables
            #expect(variables.contains("job") && variables.contains("instance"), "\(origin) is not filtered by $job and $instance")
        }
    }

    @Test func overviewUsesTheRecordingRules() throws {
        let dashboard = try DashboardDocument(named: "vicidial-overview")
        var used: Set<String> = []
        for (_, expr) in dashboard.expressions { used.formUnion(try DashboardPromQL.metricNames(in: expr)) }
        // The expensive floor-wide figures come from the rules; the per-user-and-state 5m rule
        // serves per-agent views outside these dashboards.
        let expected = Set(DashboardRecordingRules.names).subtracting(["user_state:vicidial_agent_state_seconds:rate5m"])
        #expect(expected.subtracting(used).isEmpty, "rules not used: \(expected.subtracting(used).sorted())")
    }

    // MARK: Against the exporter

    /// The scenario behind "exposed" really exposes the whole metric contract.
    @Test func scrapeScenarioExposesTheWholeContract() {
        #expect(DashboardScrape.rendered.answers.map { Int($0.split(separator: " ").last ?? "") } == DashboardScrape.expectedStatuses,
            "\(DashboardScrape.rendered.answers)")
        let missing = Set(DashboardScrape.contractNames).subtracting(DashboardScrape.sampleNames)
        #expect(missing.isEmpty, "not in the scrape: \(missing.sorted())")
    }

    /// Every family the exporter exposes is shown somewhere (directly; the recording rules' sources
    /// are read raw elsewhere too).
    @Test func everyExposedFamilyIsOnADashboard() throws {
        var used: Set<String> = []
        for name in DashboardRepository.dashboardNames {
            for (_, expr) in try DashboardDocument(named: name).expressions {
                used.formUnion(try DashboardPromQL.metricNames(in: expr))
            }
        }
        let families = DashboardScrape.families
        #expect(families.count >= 30)
        for family in families {
            let names = DashboardScrape.selectableNames(family: family.name, type: family.type)
            #expect(!used.isDisjoint(with: names), "\(family.name) (\(family.type)) is on no dashboard")
        }
    }

    // MARK: Recording rules

    @Test func ruleNamesAreWellFormed() {
        #expect(Set(DashboardRecordingRules.names).count == DashboardRecordingRules.names.count)
        for name in DashboardRecordingRules.names {
            // level:metric:operations, as Prometheus' naming guide has it.
            #expect(name.split(separator: ":", omittingEmptySubsequences: false).count == 3, "\(name)")
            #expect((try? DashboardPromQL.metricNames(in: name)) == [name])
        }
    }

}
