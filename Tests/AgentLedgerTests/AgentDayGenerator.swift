import AgentEvents

/// SplitMix64: a tiny seeded generator, so every property run is reproducible from its seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A random but plausible agent day, as the agent screen would push it: logins with in-group
/// screens first, ready/paused spells with heartbeats, inbound and manual calls ending every
/// way VICIdial ends them, pause-after-call, reloads, and a final logout (sometimes during dispo).
struct AgentDay {
    var events: [AgentEvent] = []
    /// Sum over sessions of logout time minus login time.
    var sessionSeconds: Int64 = 0

    private var time: Int64
    private var counter = 0
    private var loginTime: Int64 = 0
    private let user: String

    init<R: RandomNumberGenerator>(user: String, start: Int64, actions: Int, using rng: inout R) {
        self.user = user
        self.time = start
        pageLoad(using: &rng)
        var ready = false
        for _ in 0..<actions {
            if ready {
                for _ in 0..<Int.random(in: 0...4, using: &rng) {
                    emit("agent_alert", "CHECK-FOR-CALL COMPLETE: 1", after: 1)
                }
                if Bool.random(using: &rng) {
                    emit("state_paused", "PAUSED", after: .random(in: 0...20, using: &rng))
                    ready = false
                } else {
                    ready = call(using: &rng)
                }
            } else {
                switch Int.random(in: 0..<10, using: &rng) {
                case 0:
                    emit("manual_dial_open", after: .random(in: 1...30, using: &rng))
                    emit("call_dialed", "3125551234 MANUAL_DIALNOW", after: .random(in: 1...5, using: &rng))
                    ready = call(using: &rng)
                case 1:
                    emit("state_paused", "PAUSED", after: .random(in: 0...2, using: &rng))
                    logout("CLOSE", after: 0)
                    pageLoad(using: &rng)
                case 2:
                    emit("pause_code_open", after: .random(in: 0...60, using: &rng))
                default:
                    emit("state_ready", "READY", after: .random(in: 0...600, using: &rng))
                    ready = true
                }
            }
        }
        if Int.random(in: 0..<4, using: &rng) == 0 {
            emit("call_answered", "M1", after: .random(in: 0...10, using: &rng))
            emit("dispo_screen_open", after: .random(in: 1...60, using: &rng))
        }
        logout("NORMAL", after: .random(in: 0...30, using: &rng))
    }

    /// One call from answer to disposition; returns whether the agent is ready afterwards.
    private mutating func call<R: RandomNumberGenerator>(using rng: inout R) -> Bool {
        emit("call_answered", "M1", after: .random(in: 0...30, using: &rng))
        if Bool.random(using: &rng) { emit("park_started", after: .random(in: 1...20, using: &rng)) }
        if Bool.random(using: &rng) { emit("call_dead", "M1", after: .random(in: 1...300, using: &rng)) }
        let talk = Int64.random(in: 0...600, using: &rng)
        switch Int.random(in: 0..<6, using: &rng) {
        case 0:
            emit("agent_hangup", after: talk)
            emit("dispo_screen_open", after: 1)
        case 1:
            emit("dispo_screen_open", after: talk)
            emit("agent_hangup", after: 0)
        case 2:
            emit("transfer_blind", "8300", after: talk)
            emit("dispo_screen_open", after: 1)
        case 3:
            emit("3way_agent_leave", after: talk)
            emit("dispo_screen_open", after: 1)
        case 4:
            emit("customer_gone", after: talk)
            emit("dispo_screen_open", after: 1)
        default:
            break  // hotkey disposition: dispo_set straight from the call
        }
        let pauseAfterCall = Bool.random(using: &rng)
        if pauseAfterCall { emit("state_paused", "PAUSED", after: .random(in: 0...20, using: &rng)) }
        let status = ["SALE", "NI", "DNC", "A", "B", "CALLBK"].randomElement(using: &rng)!
        emit("dispo_set", status, after: .random(in: 0...20, using: &rng))
        if Int.random(in: 0..<10, using: &rng) == 0 { emit("dispo_set_twice", after: 1) }
        guard !pauseAfterCall, Bool.random(using: &rng) else { return false }
        emit("state_ready", "READY", after: .random(in: 0...3, using: &rng))
        return true
    }

    private mutating func pageLoad<R: RandomNumberGenerator>(using rng: inout R) {
        counter = 0
        // Reloading and logging in again takes seconds: the new page's pushes are stamped later.
        emit("ingroup_screen_open", after: .random(in: 2...30, using: &rng))
        emit("ingroup_screen_closed", after: .random(in: 0...20, using: &rng))
        emit("logged_in", "8600051 10.0.0.5 2.14-917a 250326-1000 ", after: .random(in: 0...2, using: &rng))
        loginTime = time
    }

    private mutating func logout(_ reason: String, after seconds: Int64) {
        emit("logged_out", reason, after: seconds)
        sessionSeconds += time - loginTime
    }

    private mutating func emit(_ name: String, _ message: String = "", after seconds: Int64) {
        time += seconds
        events.append(AgentEvent(user: user, event: EventName(name), message: message, counter: counter, epoch: time))
        counter += 1
    }
}
