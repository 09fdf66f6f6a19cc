/// The rendered `le` values of the last bucket layout written. A histogram family
/// normally repeats one layout for every series, so each bound is rendered once per
/// family rather than once per series.
struct BucketBoundLabels {
    static let infinity = Array("+Inf".utf8)

    private(set) var labels: [[UInt8]] = []
    private var bounds: [Double] = []

    mutating func update(_ upperBounds: [Double]) {
        guard upperBounds != bounds else { return }
        bounds = upperBounds
        labels = upperBounds.map { Array(CanonicalFloat.render($0).utf8) }
    }
}
