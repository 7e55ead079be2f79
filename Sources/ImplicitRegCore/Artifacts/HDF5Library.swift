import CHDF5
import Foundation

/// The HDF5 C library: opened once, with its own error printing off, and called under one lock.
public enum HDF5Library {
    /// Opens the library exactly once (Swift initialises a static `let` lazily and thread-safely).
    private static let opened: Bool = H5open() >= 0
    /// Serialises every use of the library: HDF5 builds without `--enable-threadsafe` are not reentrant.
    private static let lock = NSRecursiveLock()

    /// Whether ``HDF5Document/read(from:limits:)`` reads each file in a child process
    /// (``HDF5IsolatedRead``), so a damaged file cannot crash, hang or exhaust the caller. The
    /// executables turn it on first thing, before any thread starts; in-process reading (the
    /// default) is for tests, whose many threads make `fork` unsafe.
    nonisolated(unsafe) public static var isolatesReads = false

    /// Runs `body` holding the library lock, with HDF5's automatic error printing off on this thread
    /// (the setting is per thread in thread-safe builds) and an empty error stack.
    static func locked<T>(_ body: () throws -> T) rethrows -> T {
        precondition(opened, "H5open() failed: the HDF5 library cannot be initialised")
        lock.lock()
        defer { lock.unlock() }
        H5Eset_auto2(hid_t(H5E_DEFAULT), nil, nil)
        H5Eclear2(hid_t(H5E_DEFAULT))
        return try body()
    }

    /// The HDF5 library version, e.g. "1.10.8".
    public static let versionString: String = locked {
        var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
        H5get_libversion(&major, &minor, &release)
        return "\(major).\(minor).\(release)"
    }

    /// The most specific message on this thread's HDF5 error stack (then clears it), or `fallback`.
    static func lastError(or fallback: String) -> String {
        var message: String?
        withUnsafeMutablePointer(to: &message) { pointer in
            _ = H5Ewalk2(hid_t(H5E_DEFAULT), H5E_WALK_UPWARD, { n, error, context in
                if n == 0, let desc = error?.pointee.desc {
                    context!.assumingMemoryBound(to: String?.self).pointee = String(cString: desc)
                }
                return 0
            }, pointer)
        }
        H5Eclear2(hid_t(H5E_DEFAULT))
        guard let message, !message.isEmpty else { return fallback }
        return "\(fallback) (HDF5: \(message))"
    }
}

/// Why an HDF5 file could not be written or read. Each case names the file and, where there is
/// one, the object inside it.
public enum HDF5Error: Error, CustomStringConvertible, Equatable {
    /// The file (or its temporary twin, or its directory) could not be created.
    case cannotCreate(file: String, reason: String)
    /// The file is missing, unreadable or not HDF5.
    case cannotOpen(file: String, reason: String)
    /// An object path is malformed, or a dataset's shape does not match its values.
    case invalidObject(file: String, objectPath: String, reason: String)
    /// An object holds a type this code does not read.
    case wrongType(file: String, objectPath: String, expected: String, found: String)
    /// Creating or writing an object (group, dataset, attribute) failed.
    case writeFailed(file: String, objectPath: String, reason: String)
    /// Reading an object failed.
    case readFailed(file: String, objectPath: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotCreate(file, reason):
            "cannot create HDF5 file \(file): \(reason); check that its directory is writable and the disk is not full"
        case let .cannotOpen(file, reason):
            "cannot open HDF5 file \(file): \(reason)"
        case let .invalidObject(file, objectPath, reason):
            "cannot write \(objectPath) to HDF5 file \(file): \(reason)"
        case let .wrongType(file, objectPath, expected, found):
            "unexpected type in HDF5 file \(file) at \(objectPath): expected \(expected), found \(found); was the file written by this suite?"
        case let .writeFailed(file, objectPath, reason):
            "writing \(objectPath) to HDF5 file \(file) failed: \(reason)"
        case let .readFailed(file, objectPath, reason):
            "reading \(objectPath) from HDF5 file \(file) failed: \(reason); the file may be truncated, so rerun the step that writes it"
        }
    }
}
