extension EventDecoder {
    /// Validates received fields. Unreplaced placeholders are looked for first, so a URL whose
    /// placeholders were not substituted at all is reported as that, not as an invalid user.
    func event(from fields: RawFields) throws(EventRejection) -> AgentEvent {
        for field in EventField.eventFields {
            if let value = fields[field], let literal = UnreplacedPlaceholder.find(in: value) {
                throw .unreplacedPlaceholder(field: field.rawValue, value: Echo.text(literal))
            }
        }
        return AgentEvent(
            user: try user(fields[.user]),
            event: try eventName(fields[.event]),
            message: FieldText.cleaned(fields[.message] ?? "", limit: limits.messageMaxLength),
            leadID: try number(fields[.leadID], .leadID).map { UInt32($0) },
            counter: try number(fields[.counter], .counter).map { Int($0) },
            epoch: try number(fields[.epoch], .epoch).map { Int64($0) },
            agentLogID: try number(fields[.agentLogID], .agentLogID).map { UInt32($0) }
        )
    }

    /// A numeric field's value; its range (`NumericField.maximum`) makes the conversions exact.
    private func number(_ value: String?, _ field: NumericField) throws(EventRejection) -> UInt64? {
        guard let value else { return nil }
        return try field.parse(value).get()
    }

    private func user(_ value: String?) throws(EventRejection) -> String {
        guard let user = value.map(FieldText.trimmed), !user.isEmpty else { throw .missingUser }
        // Printable ASCII, the usual case, is measured and cleared without walking the scalars.
        let printableASCII = user.utf8.allSatisfy { (0x20..<0x7F).contains($0) }
        let length = printableASCII ? user.utf8.count : user.unicodeScalars.count
        if length > limits.userMaxLength {
            throw .invalidUser(
                "it is \(length) characters long, more than \(limits.userMaxLength): \(Echo.quoted(user))")
        }
        if !printableASCII, let control = user.unicodeScalars.first(where: FieldText.isControl) {
            throw .invalidUser(
                "it contains control character \(FieldText.codePoint(control)): \(Echo.quoted(user))")
        }
        return String(user)
    }

    private func eventName(_ value: String?) throws(EventRejection) -> EventName {
        guard let name = value.map(FieldText.trimmed), !name.isEmpty else { throw .missingEvent }
        let allowed = name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
        // Allowed names are ASCII, so their byte count is their length.
        if allowed, name.utf8.count <= limits.eventMaxLength {
            return EventName(String(name))
        }
        let length = name.unicodeScalars.count
        if length > limits.eventMaxLength {
            throw .invalidEvent(
                "it is \(length) characters long, more than \(limits.eventMaxLength): \(Echo.quoted(name))")
        }
        throw .invalidEvent("\(Echo.quoted(name)) holds characters other than a-z, 0-9 and _")
    }
}
