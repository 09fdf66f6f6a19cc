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

    /// A string or number as text (integral numbers in plain decimal), or nil for null.
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
                // Int64(exactly:) is nil for fractions and for values out of range.
                text = Int64(exactly: number).map { String($0) } ?? "\(number)"
            }
        }
    }
}
