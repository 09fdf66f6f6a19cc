import Exposition

/// Runs `body` on a fresh writer and returns the finished exposition as text.
func render(_ format: ExpositionFormat, _ body: (inout ExpositionWriter) -> Void) -> String {
    var writer = ExpositionWriter(format: format)
    body(&writer)
    return String(decoding: writer.finish(), as: UTF8.self)
}
