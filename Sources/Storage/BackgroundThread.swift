#if canImport(Glibc)
import Glibc
#endif

/// A plain detached POSIX thread for the storage's long-running loops (journal syncs,
/// snapshots); Foundation's `Thread` would pull in all of Foundation for this.
public enum BackgroundThread {
    private final class Body: Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    public static func start(_ run: @escaping @Sendable () -> Void) {
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { context in
            Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, Unmanaged.passRetained(Body(run)).toOpaque())
        precondition(created == 0, "cannot start a storage thread: error \(created)")
        pthread_detach(thread)
    }
}
