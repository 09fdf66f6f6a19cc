/// The mutually exclusive states logged-in time is split into, as the exporter accounts them
/// (docs/accounting.md): `talk` is the customer part of a call, `dead` the part after the customer hung up.
public enum SimulatedState: String, Sendable {
    case pause, wait, talk, dead, dispo
}
