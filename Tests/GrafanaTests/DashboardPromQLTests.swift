import Testing

/// The PromQL scanner the dashboard checks rely on, on expressions with exact expected results.
struct DashboardPromQLTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let expr: String
        let metrics: [String]
        var windows: [String] = []
        var variables: [String] = []
        var testDescription: String { expr }
    }

    static let cases: [Case] = [
        // The README's occupancy: label names in {...} and by (...) are not metrics.
        Case(
            expr: """
                sum by (user) (rate(vicidial_agent_state_seconds_total{state=~"talk|dead|dispo"}[1h]))
                  / sum by (user) (rate(vicidial_agent_state_seconds_total[1h]))
                """,
            metrics: ["vicidial_agent_state_seconds_total"], windows: ["1h", "1h"]),
        // time() is a function, `and on (user)` a set operator with a label list.
        Case(
            expr: #"(time() - vicidial_agent_state_start_timestamp_seconds) and on (user) (vicidial_agent_state{state="pause"} == 1)"#,
            metrics: ["vicidial_agent_state_start_timestamp_seconds", "vicidial_agent_state"]),
        // Recording rule names, colons included (leading, inner).
        Case(
            expr: "histogram_quantile(0.9, le:vicidial_agent_call_duration_seconds_bucket:rate5m)",
            metrics: ["le:vicidial_agent_call_duration_seconds_bucket:rate5m"]),
        Case(expr: ":vicidial_agents_logged_in:sum", metrics: [":vicidial_agents_logged_in:sum"]),
        Case(
            expr: """
                state:vicidial_agent_state_seconds:rate5m
                  / ignoring (state) group_left ()
                sum(state:vicidial_agent_state_seconds:rate5m)
                """,
            metrics: ["state:vicidial_agent_state_seconds:rate5m"]),
        // Grafana variables in matchers and windows; `by` after the aggregation.
        Case(
            expr: #"sum(rate(vicidial_exporter_http_requests_total{job=~"$job",code!~"2.."}[$__rate_interval])) by (route, code) * 3600"#,
            metrics: ["vicidial_exporter_http_requests_total"], windows: ["$__rate_interval"],
            variables: ["job", "__rate_interval"]),
        // String arguments (with braces and `$1` inside), offset, bool, numbers, `on()` with no labels.
        Case(
            expr: #"label_replace(up{job="a}b"}, "dst", "$1", "src", "(.*)") offset 5m > bool 0.5e-3 or on() vector(0)"#,
            metrics: ["up"]),
        // Grafana's label_values: the last argument is a label name.
        Case(expr: "label_values(vicidial_agent_state_seconds_total, user)", metrics: ["vicidial_agent_state_seconds_total"]),
        Case(
            expr: #"label_values(vicidial_exporter_build_info{job=~"$job"}, instance)"#,
            metrics: ["vicidial_exporter_build_info"], variables: ["job"]),
        Case(expr: "label_values(user)", metrics: []),
        // Subqueries, nested windows.
        Case(
            expr: "max_over_time(rate(foo_total[5m])[1h:1m])", metrics: ["foo_total"], windows: ["5m", "1h:1m"]),
        // Keywords are case-insensitive; `without` and `ignoring(...)` take label lists.
        Case(
            expr: "a AND b OR c unless d / ignoring(instance) sum without (instance) (e)",
            metrics: ["a", "b", "c", "d", "e"]),
        // Comments.
        Case(expr: "x # sum(y)\n+ z", metrics: ["x", "z"]),
        // Aggregations with parameters, the @ modifier.
        Case(expr: #"count_values("status", x) + topk(5, y) @ end() + quantile(0.9, z)"#, metrics: ["x", "y", "z"]),
        // Number literals of every shape.
        Case(expr: "x * 1e3 + 0x1F - .5 + Inf - NaN + 2.5E+2", metrics: ["x"]),
        // Each metric once, in order of first appearance.
        Case(expr: "b + a + b", metrics: ["b", "a"]),
        // Grafana variables in every syntax, each once.
        Case(
            expr: #"x{user=~"${user:regex}|[[user]]|$user",job="${job}"} * $factor"#,
            metrics: ["x"], variables: ["user", "job", "factor"]),
    ]

    @Test(arguments: cases)
    func scansExactly(_ testCase: Case) throws {
        let scan = try DashboardPromQL.scan(testCase.expr)
        #expect(scan.metricNames == testCase.metrics)
        #expect(scan.rangeWindows == testCase.windows)
        #expect(scan.variables == testCase.variables)
    }

    struct Failure: Sendable, CustomTestStringConvertible {
        let expr: String
        let error: DashboardPromQLError
        var testDescription: String { expr }
    }

    static let failures: [Failure] = [
        Failure(expr: "rate(x[5m]", error: .unbalanced("(", offset: 4)),
        Failure(expr: "x)", error: .unbalanced(")", offset: 1)),
        Failure(expr: "x[5m", error: .unbalanced("[", offset: 1)),
        Failure(expr: #"x{a="b}"#, error: .unterminatedString(offset: 4)),
        // A typo in a function name must not pass as a metric name.
        Failure(expr: "rtae(x[5m])", error: .unknownFunction("rtae")),
        Failure(expr: #"{__name__="x"}"#, error: .indirectMetricName(offset: 1)),
        Failure(expr: #"x{"y"}"#, error: .indirectMetricName(offset: 2)),
        Failure(expr: "sum by user (x)", error: .unexpected("by without a label list", offset: 7)),
        Failure(expr: #"rate(x[5m{a="b"}])"#, error: .unexpected("{ inside [...]", offset: 9)),
        Failure(expr: "sum(x) by (a:b)", error: .unexpected("label name in by (...)", offset: 11)),
        Failure(expr: "label_values(x, 1)", error: .unexpected("label name in label_values", offset: 16)),
        Failure(expr: "x{a~\"b\"}", error: .unexpected("matcher operator ~", offset: 3)),
    ]

    @Test(arguments: failures)
    func rejectsWhatItCannotRead(_ failure: Failure) {
        #expect(throws: failure.error) { try DashboardPromQL.scan(failure.expr) }
    }
}
