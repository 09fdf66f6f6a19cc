/// An agent event name as VICIdial's agent screen pushes it (docs/AGENT_EVENTS_PUSH.txt).
///
/// Known names map to a case; a well-formed name this build does not know (a newer VICIdial)
/// is kept as `.unknown` so it can still be counted.
public enum EventName: Hashable, Sendable, Codable {
    case known(KnownEvent)
    case unknown(String)

    public init(_ raw: String) {
        if let known = KnownEvent.named[raw] {
            self = .known(known)
        } else {
            self = .unknown(raw)
        }
    }

    public var rawValue: String {
        switch self {
        case .known(let event): event.rawValue
        case .unknown(let name): name
        }
    }

    public var known: KnownEvent? {
        if case .known(let event) = self { return event }
        return nil
    }
}

/// Every event name the agent screen fires, in the order of docs/AGENT_EVENTS_PUSH.txt.
public enum KnownEvent: String, CaseIterable, Sendable, Codable {
    case loggedIn = "logged_in"
    case loggedOut = "logged_out"
    case loggedOutComplete = "logged_out_complete"
    case stateReady = "state_ready"
    case statePaused = "state_paused"
    case callDialed = "call_dialed"
    case callAnswered = "call_answered"
    case callDead = "call_dead"
    case callScript = "call_script"
    case deadTriggerAudio = "dead_trigger_audio"
    case deadTriggerURL = "dead_trigger_url"
    case deadTriggerURLSent = "dead_trigger_url_sent"
    case otherAnswered = "other_answered"
    case agentHangup = "agent_hangup"
    case dispoScreenOpen = "dispo_screen_open"
    case dispoSet = "dispo_set"
    case dispoSetTwice = "dispo_set_twice"
    case threeWayStart = "3way_start"
    case threeWayAnswered = "3way_answered"
    case threeWayAgentHangup = "3way_agent_hangup"
    case threeWayAgentLeave = "3way_agent_leave"
    case transferLocalCloser = "transfer_local_closer"
    case transferBlind = "transfer_blind"
    case transferVmail = "transfer_vmail"
    case parkStarted = "park_started"
    case parkRetrieved = "park_retrieved"
    case parkIVRStarted = "park_ivr_started"
    case parkIVRRetrieved = "park_ivr_retrieved"
    case agentAlert = "agent_alert"
    case loginInvalid = "login_invalid"
    case sessionDisabled = "session_disabled"
    case blindMonitorAlert = "blind_monitor_alert"
    case manualDialOpen = "manual_dial_open"
    case callbackSelectOpen = "callback_select_open"
    case timeSync = "time_sync"
    case customerGone = "customer_gone"
    case noneInSession = "none_in_session"
    case transferPanelOpen = "transfer_panel_open"
    case transferPanelClosed = "transfer_panel_closed"
    case ingroupScreenOpen = "ingroup_screen_open"
    case ingroupScreenClosed = "ingroup_screen_closed"
    case territoryScreenOpen = "territory_screen_open"
    case territoryScreenClosed = "territory_screen_closed"
    case contactSearchOpen = "contact_search_open"
    case leadSearchOpen = "lead_search_open"
    case pauseCodeOpen = "pause_code_open"
    case updateFields = "update_fields"
    case sessionEmpty = "session_empty"
    case sessionChannels = "session_channels"
}

extension KnownEvent {
    /// Every case in declaration order, computed once (`allCases` builds a new array per call).
    public static let ordered: [KnownEvent] = allCases

    private static let ordinals = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1, $0) })

    /// By name: one hash lookup, where `init(rawValue:)` compares the name with each case in turn.
    static let named = Dictionary(uniqueKeysWithValues: ordered.map { ($0.rawValue, $0) })

    /// Position in `ordered`, for per-event counter arrays; O(1) on the ingest path.
    public var ordinal: Int { Self.ordinals[self]! }
}
