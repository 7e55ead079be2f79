import Foundation

/// Bounded reading of input files. Every reader of the suite opens its inputs here: only regular
/// files (after following links) are read, never devices, FIFOs or directories — a data file
/// linked to /dev/zero would otherwise be read forever — and never more than a stated limit, so
/// memory stays bounded whatever the file claims.
public enum RegularFile {
    /// Why a file was refused.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case missing
        case notRegular(kind: String)
        case tooLarge(bytes: Int, limit: Int)
        case unreadable(String)

        public var description: String {
            switch self {
            case .missing: "there is no such file"
            case let .notRegular(kind): "it is \(kind), not a regular file"
            case let .tooLarge(bytes, limit): "it has \(bytes) bytes, more than the \(limit) this reader accepts"
            case let .unreadable(reason): reason
            }
        }
    }

    /// The size of the regular file at `path` (links followed), or why it is not one.
    public static func size(of path: String) -> Result<Int, Refusal> {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return .failure(errno == ENOENT || errno == ENOTDIR ? .missing : .unreadable(String(cString: strerror(errno))))
        }
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG else { return .failure(.notRegular(kind: describe(kind))) }
        return .success(Int(info.st_size))
    }

    /// Opens the regular file at `path` for reading and checks, on the open descriptor (so a file
    /// swapped in between cannot slip through), that it is regular and at most `limit` bytes.
    /// Calls `body` with the descriptor and the size; closes it afterwards.
    public static func withOpened<T>(_ path: String, limit: Int, _ body: (Int32, Int) throws -> T) throws -> T {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)  // O_NONBLOCK: opening a FIFO must not wait for a writer
        guard fd >= 0 else {
            throw errno == ENOENT || errno == ENOTDIR ? Refusal.missing : Refusal.unreadable(String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Refusal.unreadable(String(cString: strerror(errno))) }
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG else { throw Refusal.notRegular(kind: describe(kind)) }
        let size = Int(info.st_size)
        guard size <= limit else { throw Refusal.tooLarge(bytes: size, limit: limit) }
        return try body(fd, size)
    }

    /// The whole regular file at `path`, at most `limit` bytes; reads stop at the size `fstat`
    /// reported (plus one byte, to notice a file that grew).
    public static func read(_ path: String, limit: Int) throws -> [UInt8] {
        try withOpened(path, limit: limit) { fd, size in
            var bytes = [UInt8](repeating: 0, count: size + 1)
            var filled = 0
            while filled < bytes.count {
                let n = bytes.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress! + filled, $0.count - filled) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Refusal.unreadable("read error: \(String(cString: strerror(errno)))")
                }
                if n == 0 { break }
                filled += n
            }
            guard filled <= size else { throw Refusal.unreadable("it grew while being read") }
            bytes.removeSubrange(filled...)
            return bytes
        }
    }

    /// Calls `body` with consecutive chunks (at most `chunkSize` bytes) of the regular file at
    /// `path`, at most `limit` bytes in all.
    public static func forEachChunk(_ path: String, limit: Int, chunkSize: Int = 1 << 20,
                                    _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        try withOpened(path, limit: limit) { fd, size in
            var chunk = [UInt8](repeating: 0, count: chunkSize)
            var total = 0
            while true {
                let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress!, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Refusal.unreadable("read error: \(String(cString: strerror(errno)))")
                }
                if n == 0 { return }
                total += n
                guard total <= max(size, limit) else { throw Refusal.unreadable("it grew while being read") }
                try chunk.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
            }
        }
    }

    private static func describe(_ kind: mode_t) -> String {
        switch kind {
        case S_IFDIR: "a directory"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        default: "a special file"
        }
    }
}
