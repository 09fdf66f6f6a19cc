import Foundation
import Testing
import WebConfig
@testable import VicidialExporter

/// Basic-auth checks against hashes made by Apache's `htpasswd -nbBC 4` (an implementation
/// independent of libxcrypt), the cache, and the one-check-at-a-time rule.
struct BasicAuthenticatorTests {
    static let users = [
        "prometheus": BcryptHash("$2y$04$Qmi1c1dsiuDrWnZMKAIv5uuK1exkMoukjspkhaqhx015Zc0wg7Rie")!, // s3cret
        "grafana": BcryptHash("$2y$04$vTkfppvogOauNaWfuGO87uB90Cns9Ol29kQXPJQQi1DO7jPTKGcbC")!, // other
    ]

    @Test func outcomes() {
        let authenticator = BasicAuthenticator()
        let cases: [(BasicCredentials?, BasicAuthenticator.Outcome)] = [
            (BasicCredentials(user: "prometheus", password: "s3cret"), .allowed),
            (BasicCredentials(user: "grafana", password: "other"), .allowed),
            (BasicCredentials(user: "prometheus", password: "other"), .wrong),
            (BasicCredentials(user: "prometheus", password: "s3cre"), .wrong),
            (BasicCredentials(user: "Prometheus", password: "s3cret"), .wrong),
            (BasicCredentials(user: "nobody", password: "s3cret"), .wrong),
            (BasicCredentials(user: "prometheus", password: "s3cret\0tail"), .wrong),
            (BasicCredentials(user: "prometheus", password: Array("s3cret".utf8) + [0xFF]), .wrong),
            (BasicCredentials(authorization: "Basic cHJvbWV0aGV1czpzM2NyZXQ="), .allowed), // prometheus:s3cret
            (BasicCredentials(user: "prometheus", password: ""), .wrong),
            (nil, .missing),
        ]
        for (credentials, expected) in cases {
            #expect(authenticator.check(credentials, users: Self.users) == expected, "\(String(describing: credentials))")
        }
    }

    @Test func outcomesAreCachedPerUserHashAndPassword() {
        let authenticator = BasicAuthenticator()
        let right = BasicCredentials(user: "prometheus", password: "s3cret")
        #expect(authenticator.check(right, users: Self.users) == .allowed)
        #expect(authenticator.check(right, users: Self.users) == .allowed)
        #expect(authenticator.cachedOutcomes == 1)
        // A reload that changes the user's hash does not reuse the old outcome.
        let changed = ["prometheus": Self.users["grafana"]!]
        #expect(authenticator.check(right, users: changed) == .wrong)
        #expect(authenticator.cachedOutcomes == 2)
        // A user removed by a reload is refused even though the cache remembers a match.
        #expect(authenticator.check(right, users: ["grafana": Self.users["grafana"]!]) == .wrong)
    }

    @Test func aCheckArrivingWhileAnotherRunsIsBusyNotQueuedAndCachedSuccessesNeverWait() throws {
        let authenticator = BasicAuthenticator()
        let right = BasicCredentials(user: "prometheus", password: "s3cret")
        #expect(authenticator.check(right, users: Self.users) == .allowed)
        // More guessed passwords than the cache holds: the scraper's success stays cached.
        for guess in 0..<(BasicAuthenticator.cacheCapacity + 100) {
            #expect(authenticator.check(BasicCredentials(user: "prometheus", password: "guess-\(guess)"), users: Self.users) == .wrong)
        }
        // Cost 14: about a second of bcrypt, long enough to be seen running.
        let slow = ["slow": BcryptHash("$2y$14$" + String(repeating: "a", count: 53))!]
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            _ = authenticator.check(BasicCredentials(user: "slow", password: "guess"), users: slow)
            finished.signal()
        }
        let deadline = Date().addingTimeInterval(5)
        while !authenticator.isChecking && Date() < deadline { usleep(1_000) }
        #expect(authenticator.isChecking)
        #expect(authenticator.check(right, users: Self.users) == .allowed)
        #expect(authenticator.check(BasicCredentials(user: "grafana", password: "other"), users: Self.users) == .busy)
        finished.wait()
        #expect(authenticator.check(BasicCredentials(user: "grafana", password: "other"), users: Self.users) == .allowed)
    }
}
