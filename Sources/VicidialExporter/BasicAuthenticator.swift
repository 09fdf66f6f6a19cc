import CCrypt
import Synchronization
import WebConfig

#if canImport(Glibc)
import Glibc
#endif

/// Checks basic-auth credentials against `basic_auth_users`' bcrypt hashes with libxcrypt's
/// `crypt_r`. A bcrypt check costs tens of milliseconds of CPU by design, so:
/// - successes are cached (keyed by user, hash and password, as exporter-toolkit does), so a
///   scrape pays it once and not every 15 seconds. Failures are cached apart, so a stream of
///   guessed passwords, however long, can never push a scraper's success out;
/// - one check runs at a time, and a request arriving while one runs gets `busy` (429) rather
///   than a worker thread: a flood of guessed passwords cannot tie up the threads Prometheus'
///   scrape needs, whose cached credentials skip the check;
/// - an unknown user is checked against a fixed cost-10 hash (exporter-toolkit's), so the time
///   taken does not tell an unknown user from a known one with the usual cost. (The costliest
///   configured hash would hide every user, but would let anyone without a user name hold the
///   one check for as long as the costliest hash takes.)
final class BasicAuthenticator: Sendable {
    enum Outcome: String, Sendable {
        case allowed
        /// No `Authorization: Basic` header, or one that cannot be read.
        case missing
        /// Unknown user or wrong password.
        case wrong
        /// Another password check is running.
        case busy
    }

    /// Entries in each cache; a full failure cache is emptied, a full success cache too (only
    /// holders of a right password can fill it).
    static let cacheCapacity = 1_024

    /// exporter-toolkit's stand-in for unknown users: a cost-10 hash nothing matches in practice.
    private static let unknownUserHash = BcryptHash("$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi")!

    private let successes = Mutex<Set<CacheKey>>([])
    private let failures = Mutex<Set<CacheKey>>([])
    private let checking = Atomic<Bool>(false)

    private struct CacheKey: Hashable, Sendable {
        let user: String
        let hash: String
        let password: [UInt8]
    }

    /// Outcomes held in the caches.
    var cachedOutcomes: Int { successes.withLock { $0.count } + failures.withLock { $0.count } }

    /// Whether a bcrypt check is running now.
    var isChecking: Bool { checking.load(ordering: .acquiring) }

    func check(_ credentials: BasicCredentials?, users: [String: BcryptHash]) -> Outcome {
        guard let credentials else { return .missing }
        // crypt_r reads up to the first NUL: "right\0anything" must not pass as "right".
        guard !credentials.password.contains(0) else { return .wrong }
        let known = users[credentials.user]
        let hash = known ?? Self.unknownUserHash
        let key = CacheKey(user: credentials.user, hash: hash.text, password: credentials.password)
        if successes.withLock({ $0.contains(key) }) { return known != nil ? .allowed : .wrong }
        if failures.withLock({ $0.contains(key) }) { return .wrong }
        guard checking.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return .busy }
        let matches = Self.bcryptMatches(password: credentials.password, hash: hash.text)
        checking.store(false, ordering: .releasing)
        let allowed = matches && known != nil
        if allowed {
            successes.withLock { Self.remember(key, in: &$0) }
        } else {
            failures.withLock { Self.remember(key, in: &$0) }
        }
        return allowed ? .allowed : .wrong
    }

    private static func remember(_ key: CacheKey, in cache: inout Set<CacheKey>) {
        if cache.count >= cacheCapacity { cache.removeAll(keepingCapacity: true) }
        cache.insert(key)
    }

    /// Whether `crypt_r(password, hash)` gives `hash` back, compared in constant time.
    static func bcryptMatches(password: [UInt8], hash: String) -> Bool {
        // Over 32 KB: kept off the thread's stack.
        let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
        defer { data.deallocate() }
        memset(data, 0, MemoryLayout<crypt_data>.size)
        let phrase = password.map { CChar(bitPattern: $0) } + [0]
        guard let result = crypt_r(phrase, hash, data) else { return false }
        let computed = Array(UnsafeBufferPointer(start: result, count: strlen(result)).map { UInt8(bitPattern: $0) })
        let expected = Array(hash.utf8)
        guard computed.count == expected.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(computed, expected) { difference |= left ^ right }
        return difference == 0
    }
}
