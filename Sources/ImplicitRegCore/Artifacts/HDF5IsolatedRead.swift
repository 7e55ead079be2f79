import Foundation

/// Reads an HDF5 file in a child process (`fork`), so that whatever the HDF5 C library does on a
/// damaged or crafted file — HDF5 1.10 dereferences bad pointers on some single flipped bits,
/// allocates what a corrupt header claims, or loops — the caller gets an ``HDF5Error`` naming the
/// file, never a signal, a hang or runaway memory.
///
/// The child reads the file with the checks of ``HDF5Document/read(from:limits:)``, under an
/// address-space limit (its size at the fork plus twice ``HDF5ReadLimits/maxTotalBytes``) and a
/// deadline, and sends the document (or the error) back through a pipe in a private binary form.
/// Executables turn this on with ``HDF5Library/isolatesReads``; it costs one `fork` per file
/// (about a millisecond).
enum HDF5IsolatedRead {
    /// CPU seconds the child may spend: 60, plus one per MB of file. A file of thousands of small
    /// datasets costs about a CPU second per MB (an 11 MB summary of 400 points: ≈ 10 s), and a
    /// looping library burns CPU, so CPU time is what is bounded: on a loaded machine a sound read
    /// may take many times as long in wall time (the 11 MB summary took over 31 s of wall time at
    /// a load of 6 on 2 cores, with 7.7 s of CPU).
    static func deadline(fileSize: Int) -> Double { 60 + Double(fileSize) / 1e6 }

    /// Wall-clock backstop (for a child that neither runs nor finishes): 20× the CPU deadline.
    static func wallDeadline(fileSize: Int) -> Double { 20 * deadline(fileSize: fileSize) }

    /// CPU seconds (user + system) process `pid` has used, from /proc/<pid>/stat; nil where
    /// there is no /proc.
    static func cpuSeconds(of pid: pid_t) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after "pid (comm)": state is field 3, utime 14, stime 15 (1-based).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    static func read(from path: String, limits: HDF5ReadLimits) throws -> HDF5Document {
        // Refusals that need no HDF5 (missing, not regular, too large) are answered here.
        switch RegularFile.size(of: path) {
        case .failure(.missing): throw HDF5Error.cannotOpen(file: path, reason: "there is no such file")
        case let .failure(refusal): throw HDF5Error.cannotOpen(file: path, reason: refusal.description)
        case let .success(size) where size > limits.maxFileBytes:
            throw HDF5Error.cannotOpen(file: path, reason: RegularFile.Refusal.tooLarge(bytes: size, limit: limits.maxFileBytes).description)
        case .success: break
        }
        let fileSize = (try? RegularFile.size(of: path).get()) ?? 0
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return try HDF5Document.readInProcess(from: path, limits: limits) }
        let addressSpace = currentAddressSpace() + 2 * limits.maxTotalBytes + (1 << 30)
        let child = fork()
        if child == 0 {
            close(fds[0])
            // Quiet: a crash here is reported by the parent as an error; the runtime's backtrace
            // and glibc's heap-corruption message (sent to stderr, not the terminal) would only confuse.
            setenv("LIBC_FATAL_STDERR_", "1", 1)
            let null = open("/dev/null", O_WRONLY)
            if null >= 0 { dup2(null, 2); close(null) }
            var limit = rlimit(rlim_cur: rlim_t(addressSpace), rlim_max: rlim_t(addressSpace))
            setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
            var core = rlimit(rlim_cur: 0, rlim_max: 0)  // a crash here is expected, not worth a core file
            setrlimit(Int32(RLIMIT_CORE.rawValue), &core)
            var message = Encoder()
            do {
                let document = try HDF5Document.readInProcess(from: path, limits: limits)
                message.byte(0)
                message.document(document)
            } catch let error as HDF5Error {
                message.byte(1)
                message.error(error)
            } catch {
                message.byte(1)
                message.error(.readFailed(file: path, objectPath: "/", reason: "\(error)"))
            }
            var at = 0
            let bytes = message.bytes
            while at < bytes.count {
                let n = bytes.withUnsafeBytes { write(fds[1], $0.baseAddress! + at, $0.count - at) }
                if n < 0 { if errno == EINTR { continue }; _exit(3) }
                at += n
            }
            _exit(0)
        }
        close(fds[1])
        defer { close(fds[0]) }
        guard child > 0 else { return try HDF5Document.readInProcess(from: path, limits: limits) }

        let seconds = deadline(fileSize: fileSize), wallSeconds = wallDeadline(fileSize: fileSize)
        let start = Date()
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var timedOut = false
        while true {
            let wall = Date().timeIntervalSince(start)
            // The child's CPU time where /proc tells it, else wall time.
            let used = Self.cpuSeconds(of: child) ?? wall
            if used >= seconds || wall >= wallSeconds { timedOut = true; break }
            var poller = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 1000)
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { continue }
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fds[0], $0.baseAddress!, $0.count) }
            if n < 0 { if errno == EINTR { continue }; break }
            if n == 0 { break }
            received += chunk[..<n]
        }
        if timedOut { kill(child, SIGKILL) }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        if timedOut {
            throw HDF5Error.readFailed(file: path, objectPath: "/", reason: "reading it did not finish within \(Int(seconds)) s of CPU time (a damaged file can make the HDF5 library loop)")
        }
        let signal = status & 0x7f
        if signal != 0 {
            throw HDF5Error.readFailed(file: path, objectPath: "/",
                                       reason: "the HDF5 library failed on it (signal \(signal)\(signal == SIGKILL ? ", perhaps out of memory" : "")): the file is damaged or not written by this suite")
        }
        var decoder = Decoder(bytes: received)
        var result: Result<HDF5Document, HDF5Error>?
        switch decoder.byte() {
        case 0: result = decoder.document().map { .success($0) }
        case 1: result = decoder.error().map { .failure($0) }
        default: result = nil
        }
        guard let result, decoder.atEnd else {
            throw HDF5Error.readFailed(file: path, objectPath: "/", reason: "the reading process ended without a complete answer (exit status \((status >> 8) & 0xff))")
        }
        return try result.get()
    }

    /// This process's virtual size (bytes), from /proc/self/statm; 0 if unknown.
    private static func currentAddressSpace() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = text.split(separator: " ").first.flatMap({ Int($0) }) else { return 1 << 34 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    // MARK: The private wire form

    struct Encoder {
        var bytes: [UInt8] = []
        mutating func byte(_ b: UInt8) { bytes.append(b) }
        mutating func int(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        mutating func string(_ s: String) { int(Int64(s.utf8.count)); bytes += s.utf8 }
        mutating func raw<T>(_ values: [T]) { int(Int64(values.count)); values.withUnsafeBytes { bytes += $0 } }

        mutating func attributes(_ a: [String: AttributeValue]) {
            int(Int64(a.count))
            for (name, value) in a {
                string(name)
                switch value {
                case let .string(s): byte(0); string(s)
                case let .int(v): byte(1); int(v)
                case let .double(v): byte(2); int(Int64(bitPattern: v.bitPattern))
                case let .doubles(v): byte(3); raw(v)
                case let .ints(v): byte(4); raw(v)
                }
            }
        }

        mutating func document(_ d: HDF5Document) {
            int(Int64(d.groupAttributes.count))
            for (path, a) in d.groupAttributes { string(path); attributes(a) }
            int(Int64(d.datasets.count))
            for (path, dataset) in d.datasets {
                string(path)
                int(Int64(dataset.shape.count))
                for n in dataset.shape { int(Int64(n)) }
                switch dataset.values {
                case let .float(v): byte(0); raw(v)
                case let .double(v): byte(1); raw(v)
                case let .int32(v): byte(2); raw(v)
                case let .int64(v): byte(3); raw(v)
                }
                attributes(dataset.attributes)
            }
            int(Int64(d.dimensionScales.count))
            for (axis, labelled) in d.dimensionScales {
                string(axis)
                int(Int64(labelled.count))
                for path in labelled { string(path) }
            }
        }

        mutating func error(_ e: HDF5Error) {
            switch e {
            case let .cannotCreate(f, r): byte(0); string(f); string(r)
            case let .cannotOpen(f, r): byte(1); string(f); string(r)
            case let .invalidObject(f, o, r): byte(2); string(f); string(o); string(r)
            case let .wrongType(f, o, x, y): byte(3); string(f); string(o); string(x); string(y)
            case let .writeFailed(f, o, r): byte(4); string(f); string(o); string(r)
            case let .readFailed(f, o, r): byte(5); string(f); string(o); string(r)
            }
        }
    }

    struct Decoder {
        let bytes: [UInt8]
        var at = 0
        var atEnd: Bool { at == bytes.count }

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func byte() -> UInt8? {
            guard at < bytes.count else { return nil }
            defer { at += 1 }
            return bytes[at]
        }

        mutating func int() -> Int64? {
            guard bytes.count - at >= 8 else { return nil }
            var v: Int64 = 0
            withUnsafeMutableBytes(of: &v) { $0.copyBytes(from: bytes[at..<(at + 8)]) }
            at += 8
            return Int64(littleEndian: v)
        }

        mutating func count(_ size: Int) -> Int? {
            guard let n = int(), n >= 0, Int(n) <= (bytes.count - at) / max(size, 1) else { return nil }
            return Int(n)
        }

        mutating func string() -> String? {
            guard let n = count(1) else { return nil }
            defer { at += n }
            return String(decoding: bytes[at..<(at + n)], as: UTF8.self)
        }

        mutating func raw<T>(_: T.Type) -> [T]? {
            let size = MemoryLayout<T>.stride
            guard let n = count(size) else { return nil }
            let values = [T](unsafeUninitializedCapacity: n) { buffer, initialized in
                bytes[at..<(at + n * size)].withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: $0) }
                initialized = n
            }
            at += n * size
            return values
        }

        mutating func attributes() -> [String: AttributeValue]? {
            guard let n = count(10) else { return nil }
            var a: [String: AttributeValue] = [:]
            for _ in 0..<n {
                guard let name = string(), let tag = byte() else { return nil }
                switch tag {
                case 0: guard let s = string() else { return nil }; a[name] = .string(s)
                case 1: guard let v = int() else { return nil }; a[name] = .int(v)
                case 2: guard let v = int() else { return nil }; a[name] = .double(Double(bitPattern: UInt64(bitPattern: v)))
                case 3: guard let v = raw(Double.self) else { return nil }; a[name] = .doubles(v)
                case 4: guard let v = raw(Int64.self) else { return nil }; a[name] = .ints(v)
                default: return nil
                }
            }
            return a
        }

        mutating func document() -> HDF5Document? {
            var d = HDF5Document()
            guard let groups = count(16) else { return nil }
            for _ in 0..<groups {
                guard let path = string(), let a = attributes() else { return nil }
                d.groupAttributes[path] = a
            }
            guard let datasets = count(16) else { return nil }
            for _ in 0..<datasets {
                guard let path = string(), let rank = count(8) else { return nil }
                var shape: [Int] = []
                for _ in 0..<rank {
                    guard let n = int() else { return nil }
                    shape.append(Int(n))
                }
                guard let tag = byte() else { return nil }
                let values: DatasetValues
                switch tag {
                case 0: guard let v = raw(Float.self) else { return nil }; values = .float(v)
                case 1: guard let v = raw(Double.self) else { return nil }; values = .double(v)
                case 2: guard let v = raw(Int32.self) else { return nil }; values = .int32(v)
                case 3: guard let v = raw(Int64.self) else { return nil }; values = .int64(v)
                default: return nil
                }
                guard let a = attributes() else { return nil }
                d.datasets[path] = HDF5Dataset(shape: shape, values: values, attributes: a)
            }
            guard let scales = count(16) else { return nil }
            for _ in 0..<scales {
                guard let axis = string(), let n = count(8) else { return nil }
                var labelled: [String] = []
                for _ in 0..<n {
                    guard let path = string() else { return nil }
                    labelled.append(path)
                }
                d.dimensionScales[axis] = labelled
            }
            return d
        }

        mutating func error() -> HDF5Error? {
            guard let tag = byte() else { return nil }
            switch tag {
            case 0: guard let f = string(), let r = string() else { return nil }; return .cannotCreate(file: f, reason: r)
            case 1: guard let f = string(), let r = string() else { return nil }; return .cannotOpen(file: f, reason: r)
            case 2: guard let f = string(), let o = string(), let r = string() else { return nil }; return .invalidObject(file: f, objectPath: o, reason: r)
            case 3: guard let f = string(), let o = string(), let x = string(), let y = string() else { return nil }
                return .wrongType(file: f, objectPath: o, expected: x, found: y)
            case 4: guard let f = string(), let o = string(), let r = string() else { return nil }; return .writeFailed(file: f, objectPath: o, reason: r)
            case 5: guard let f = string(), let o = string(), let r = string() else { return nil }; return .readFailed(file: f, objectPath: o, reason: r)
            default: return nil
            }
        }
    }
}
