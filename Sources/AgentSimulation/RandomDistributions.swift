#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RandomNumberGenerator {
    mutating func chance(_ probability: Double) -> Bool {
        Double.random(in: 0..<1, using: &self) < probability
    }

    mutating func seconds(in range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &self)
    }

    /// Whole seconds from a log-normal distribution (long-tailed like call and break lengths), clamped to `range`.
    mutating func logNormalSeconds(median: Double, sigma: Double, in range: ClosedRange<Int>) -> Int {
        // Box-Muller: a standard normal from two uniforms; 1 - u keeps log away from 0.
        let radius = (-2 * log(1 - Double.random(in: 0..<1, using: &self))).squareRoot()
        let normal = radius * cos(2 * Double.pi * Double.random(in: 0..<1, using: &self))
        return clamped(median * exp(sigma * normal), to: range)
    }

    /// Whole seconds from an exponential distribution (time between independent arrivals), clamped to `range`.
    mutating func exponentialSeconds(mean: Double, in range: ClosedRange<Int>) -> Int {
        clamped(-mean * log(1 - Double.random(in: 0..<1, using: &self)), to: range)
    }

    /// One of `choices`, each as likely as its weight.
    mutating func weighted<Choice>(_ choices: [(Choice, weight: Int)]) -> Choice {
        var roll = Int.random(in: 0..<choices.reduce(0) { $0 + $1.weight }, using: &self)
        for (choice, weight) in choices {
            if roll < weight { return choice }
            roll -= weight
        }
        preconditionFailure("weights must be positive")
    }

    private func clamped(_ value: Double, to range: ClosedRange<Int>) -> Int {
        Int(min(max(value.rounded(), Double(range.lowerBound)), Double(range.upperBound)))
    }
}
