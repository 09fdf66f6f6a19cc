import Foundation

/// Checks `condition` every 0.1 s until it holds or `seconds` have passed; returns whether it held.
func waitUntil(seconds: Double, _ condition: () throws -> Bool) throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    repeat {
        if try condition() { return true }
        usleep(100_000)
    } while Date() < deadline
    return false
}
