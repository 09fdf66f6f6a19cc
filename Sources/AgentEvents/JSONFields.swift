#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Decoding of an `application/json` body: one object whose known fields hold strings,
/// numbers or null (= absent). Unknown fields are ignored whatever they hold.
enum JSONFields {
    static func decode(_ body: [UInt8]) throws(EventRejection) -> RawFields {
        do {
            return try JSONDecoder().decode(Object.self, from: Data(body)).fields
        } catch let error as Problem {
            throw .malformedJSON(error.why)
        } catch {
            throw .malformedJSON("not valid JSON")
        }
    }

    /// What is wrong with a well-formed JSON body.
    private struct Problem: Error {
        let why: String
    }

    private struct Object: Decodable {
        var fields = RawFields()

        init(from decoder: any Decoder) throws {
            let container: KeyedDecodingContainer<Key>
            do {
                container = try decoder.container(keyedBy: Key.self)
            } catch {
                throw Problem(why: "the top level is not an object")
            }
            for key in container.allKeys {
                guard let field = EventField(rawValue: key.stringValue) else { continue }
                do {
                    fields[field] = try container.decode(Scalar.self, forKey: key).text
                } catch {
                    throw Problem(why: "field '\(field.rawValue)' is not a string, a number or null")
                }
            }
        }
    }

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }

        init(stringValue: String) {
            self.stringValue = stringValue
        }

        init?(intValue: Int) {
            nil
        }
    }

    /// A string or number as text (whole numbers in plain decimal digits, however large, so that
    /// a number beyond a field's range is refused as such), or nil for null.
    private struct Scalar: Decodable {
        let text: String?

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                text = nil
            } else if let string = try? container.decode(String.self) {
                text = string
            } else if let integer = try? container.decode(Int64.self) {
                text = String(integer)
            } else {
                let number = try container.decode(Double.self)
                text = Self.plainText(number)
            }
        }

        /// `1e+20` as `100000000000000000000`; fractions and negative numbers as Swift prints them.
        static func plainText(_ number: Double) -> String {
            if let integer = UInt64(exactly: number) { return String(integer) }
            guard number.isFinite, number >= 0, number == number.rounded() else { return "\(number)" }
            // Swift prints such a double as its shortest digits and an exponent: d.ddde+N.
            let parts = "\(number)".split(separator: "e")
            guard parts.count == 2, let exponent = Int(parts[1]) else { return "\(number)" }
            let digits = parts[0].filter { $0 != "." }
            let fractionDigits = parts[0].split(separator: ".").dropFirst().first?.count ?? 0
            return digits + String(repeating: "0", count: max(0, exponent - fractionDigits))
        }
    }
}
