import Exposition
import Testing

@Suite struct NegotiationTests {
    static let prometheus2 = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
        + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
    static let prometheus3 = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
        + "application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
        + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2"

    static let cases: [(String?, ExpositionFormat)] = [
        (nil, .prometheusText),
        ("", .prometheusText),
        ("*/*", .prometheusText),
        ("text/plain", .prometheusText),
        ("text/plain;version=0.0.4", .prometheusText),
        (prometheus2, .openMetrics),
        (prometheus3, .openMetrics),
        ("application/openmetrics-text", .openMetrics),
        ("application/openmetrics-text; version=0.0.1", .openMetrics),
        ("application/openmetrics-text; version=\"1.0.0\"", .openMetrics),
        ("application/openmetrics-text;;version=1.0.0; ", .openMetrics),
        ("application/openmetrics-text;version=2.0.0", .prometheusText),
        ("text/plain;q=1, application/openmetrics-text;q=0.5", .prometheusText),
        ("text/plain;version=0.0.4;q=0.5,application/openmetrics-text;version=1.0.0;q=0.4,*/*;q=0.1", .prometheusText),
        ("application/openmetrics-text;q=0", .prometheusText),
        ("application/openmetrics-text;q=0, text/plain;q=0.1", .prometheusText),
        ("text/plain;q=0, application/openmetrics-text;q=0.1", .openMetrics),
        ("application/openmetrics-text, text/plain", .openMetrics),
        ("application/openmetrics-text;q=0.5, */*", .prometheusText),
        ("application/openmetrics-text;q=0.5, text/plain;q=0.1, */*", .openMetrics),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", .prometheusText),
        ("APPLICATION/OpenMetrics-Text; VERSION=1.0.0", .openMetrics),
        ("application/openmetrics-text;Q=0", .prometheusText),
        ("garbage", .prometheusText),
        (";;,,/", .prometheusText),
        ("application/", .prometheusText),
        ("application/openmetrics-text;q=high", .prometheusText),
        ("application/openmetrics-text;q=2", .prometheusText),
        ("application/openmetrics-text;version", .prometheusText),
    ]

    @Test(arguments: cases)
    func negotiate(_ testCase: (String?, ExpositionFormat)) {
        #expect(ExpositionFormat.negotiate(accept: testCase.0) == testCase.1)
    }

    @Test func contentTypes() {
        #expect(ExpositionFormat.prometheusText.contentType == "text/plain; version=0.0.4; charset=utf-8")
        #expect(ExpositionFormat.openMetrics.contentType == "application/openmetrics-text; version=1.0.0; charset=utf-8")
    }
}
