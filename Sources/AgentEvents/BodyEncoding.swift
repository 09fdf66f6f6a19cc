/// How a POST body is encoded, read from its Content-Type header.
enum BodyEncoding {
    case form
    case json
    /// The media type as sent, without parameters.
    case unsupported(Substring)

    /// A missing or empty header means form, as does `text/plain`, which some relays send.
    init(contentType: String?) {
        let header = contentType ?? ""
        let parameters = header.utf8.firstIndex(of: UInt8(ascii: ";")) ?? header.endIndex
        let mediaType = FieldText.trimmed(header[..<parameters])
        if mediaType.isEmpty
            || Self.matches(mediaType, "application/x-www-form-urlencoded")
            || Self.matches(mediaType, "text/plain")
        {
            self = .form
        } else if Self.matches(mediaType, "application/json") {
            self = .json
        } else {
            self = .unsupported(mediaType)
        }
    }

    /// ASCII case-insensitive equality against a lowercase name, without allocating.
    private static func matches(_ mediaType: Substring, _ lowercaseName: String) -> Bool {
        guard mediaType.utf8.count == lowercaseName.utf8.count else { return false }
        var mediaType = mediaType
        var name = lowercaseName
        return mediaType.withUTF8 { bytes in
            name.withUTF8 { name in
                bytes.elementsEqual(name) { byte, expected in
                    let lowered = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
                    return lowered == expected
                }
            }
        }
    }
}
