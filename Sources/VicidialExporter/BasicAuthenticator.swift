import CCrypt
import Synchronization
import WebConfig

#if canImport(Glibc)
import Glibc
#endif

/// Checks basic-auth credentials against `basic_auth_users`' bcrypt hashes with libxcrypt's
/// `crypt_r`. A bcrypt check costs tens of milliseconds of CPU by design, so:
/// - outcomes are cached (keyed by user, hash and password, as exporter-toolkit does), so a
///   scrape pays it once and not every 15 seconds;
/// - one check runs at a time, and a request arriving while one runs gets `busy` (429) rather
///   than a worker thread: a flood of guessed passwords cannot tie up the threads Prometheus'
///   scrape needs, whose cached credentials skip the check;
/// - an unknown user is checked against a fixed hash, so the time taken does not tell which
///   user names exist.
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

    /// exporter-toolkit's stand-in for unknown users: a cost-10 hash nothing matches in practice.
    private static let unknownUserHash = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi"
    static let cacheCapacity = 1_024

    private let cache = Mutex<[CacheKey: Bool]>([:])
    private let checking = Atomic<Bool>(false)

    private struct CacheKey: Hashable, Sendable {
        let user: String
        let hash: String
        let password: String
    }

    /// Outcomes held in the cache.
    var cachedOutcomes: Int { cache.withLock { $0.count } }

    /// Whether a bcrypt check is running now.
    var isChecking: Bool { checking.load(ordering: .acquiring) }

    func check(_ credentials: BasicCredentials?, users: [String: BcryptHash]) -> Outcome {
        guard let credentials else { return .missing }
        // crypt_r reads up to the first NUL: "right\0anything" must not pass as "right".
        guard !credentials.password.utf8.contains(0) else { return .wrong }
        let hash = users[credentials.user]?.text ?? Self.unknownUserHash
        let key = CacheKey(user: credentials.user, hash: hash, password: credentials.password)
        if let known = cache.withLock({ $0[key] }) { return known && users[credentials.user] != nil ? .allowed : .wrong }
        guard checking.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return .busy }
        let matches = Self.bcryptMatches(password: credentials.password, hash: hash)
        checking.store(false, ordering: .releasing)
        cache.withLock { cache in
            if cache.count >= Self.cacheCapacity { cache.removeAll(keepingCapacity: true) }
            cache[key] = matches
        }
        return matches && users[credentials.user] != nil ? .allowed : .wrong
    }

    /// Whether `crypt_r(password, hash)` gives `hash` back, compared in constant time.
    static func bcryptMatches(password: String, hash: String) -> Bool {
        // Over 32 KB: kept off the thread's stack.
        let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
        defer { data.deallocate() }
        memset(data, 0, MemoryLayout<crypt_data>.size)
        guard let result = crypt_r(password, hash, data) else { return false }
        let computed = Array(UnsafeBufferPointer(start: result, count: strlen(result)).map { UInt8(bitPattern: $0) })
        let expected = Array(hash.utf8)
        guard computed.count == expected.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(computed, expected) { difference |= left ^ right }
        return difference == 0
    }
}
