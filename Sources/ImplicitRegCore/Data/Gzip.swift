import CZlib
import Foundation

/// Whole-file gzip reading and writing through zlib.
///
/// Reading is strict: the input must be gzip (magic 1f 8b), every member must end with its
/// trailer (whose CRC-32 and length zlib checks), and a stream that stops early or does not
/// decode throws ``DataError/gzip(file:message:)`` naming the file. Non-gzip input is refused
/// rather than passed through: every data file is pinned as `.gz`, and a pass-through would turn
/// a damaged header into a confusing parse error later.
public enum Gzip {
    /// The decompressed contents of the gzip file at `path` (concatenated members are joined),
    /// at most `limit` bytes (a gzip bomb is refused once it passes the limit).
    public static func decompress(file path: String, limit: Int = DataError.maxDecompressedBytes) throws -> [UInt8] {
        let compressed = try readFile(path)
        guard compressed.count >= 2, compressed[0] == 0x1f, compressed[1] == 0x8b else {
            throw DataError.gzip(file: path, message: compressed.isEmpty ? "the file is empty" : "no gzip header (magic 1f 8b)")
        }
        // The trailer's ISIZE (length mod 2³²) sizes the output; capped in case it is damaged.
        let isize = compressed.suffix(4).reversed().reduce(0) { $0 << 8 | Int($1) }
        var output = [UInt8](repeating: 0, count: min(max(min(isize, 1 << 28), 1 << 16), limit))
        var produced = 0

        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError.gzip(file: path, message: "zlib could not start: \(message(stream))")
        }
        defer { inflateEnd(&stream) }
        try compressed.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!)
            stream.avail_in = uInt(input.count)
            while true {
                if produced == output.count {
                    guard output.count < limit else {
                        throw DataError.gzip(file: path, message: "it decompresses to more than \(limit) bytes, more than any data set of the suite")
                    }
                    output += repeatElement(0, count: min(output.count, limit - output.count))
                }
                let status = output.withUnsafeMutableBufferPointer { out in
                    let room = min(out.count - produced, Int(UInt32.max))
                    stream.next_out = out.baseAddress! + produced
                    stream.avail_out = uInt(room)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    produced += room - Int(stream.avail_out)
                    return status
                }
                switch status {
                case Z_STREAM_END:
                    if stream.avail_in == 0 { return }
                    guard inflateReset(&stream) == Z_OK else {  // another member follows
                        throw DataError.gzip(file: path, message: message(stream))
                    }
                case Z_OK:
                    continue
                case Z_BUF_ERROR:  // there was room for output, so the input ran out mid-stream
                    throw DataError.gzip(file: path, message: "truncated: the compressed stream ends before its trailer")
                default:
                    throw DataError.gzip(file: path, message: message(stream, status))
                }
            }
        }
        output.removeSubrange(produced...)
        return output
    }

    /// Writes `bytes` to `path` as a gzip file (default compression level).
    public static func compress(_ bytes: [UInt8], to path: String) throws {
        guard let file = gzopen(path, "wb") else {
            throw DataError.unreadable(file: path, reason: "cannot create it: \(String(cString: strerror(errno)))")
        }
        var written = 0
        let ok = bytes.withUnsafeBytes { raw -> Bool in
            while written < raw.count {
                let n = min(raw.count - written, 1 << 20)
                guard gzwrite(file, raw.baseAddress! + written, UInt32(n)) == Int32(n) else { return false }
                written += n
            }
            return true
        }
        let closed = gzclose_w(file)
        guard ok, closed == Z_OK else { throw DataError.gzip(file: path, message: "writing failed") }
    }

    /// The whole regular file at `path` (at most ``DataError/maxFileBytes``).
    static func readFile(_ path: String) throws -> [UInt8] {
        do {
            return try RegularFile.read(path, limit: DataError.maxFileBytes)
        } catch RegularFile.Refusal.missing {
            throw DataError.missingFile(file: path)
        } catch let refusal as RegularFile.Refusal {
            throw DataError.unreadable(file: path, reason: refusal.description)
        }
    }

    private static func message(_ stream: z_stream, _ status: Int32? = nil) -> String {
        if let msg = stream.msg { return String(cString: msg) }
        return status.map { "zlib error \($0)" } ?? "unknown zlib error"
    }
}
