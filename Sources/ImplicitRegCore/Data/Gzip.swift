import CZlib
import Foundation

/// Reads whole gzip files through zlib.
public enum Gzip {
    /// The decompressed bytes of the gzip file at `path`. A missing file, a corrupt stream or a
    /// truncated one (no gzip trailer, so no CRC check) throws ``DataError`` naming the file.
    public static func decompress(path: String, missingRemedy: String = "run `make data`") throws -> [UInt8] {
        guard let compressed = FileManager.default.contents(atPath: path) else {
            throw DataError.missingFile(path: path, remedy: missingRemedy)
        }
        guard !compressed.isEmpty else { throw DataError.gzip(path: path, message: "the file is empty") }
        var stream = z_stream()
        // 15 + 16: a gzip header and trailer are required (the trailer's CRC-32 and length are checked).
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError.gzip(path: path, message: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        output.reserveCapacity(compressed.count * 4)
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        var status: Int32 = Z_OK
        try compressed.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress!)
            stream.avail_in = uInt(input.count)
            repeat {
                try buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(chunk)
                    status = inflate(&stream, Z_NO_FLUSH)
                    guard status == Z_OK || status == Z_STREAM_END else {
                        let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                        throw DataError.gzip(path: path, message: status == Z_BUF_ERROR ? "truncated" : message)
                    }
                    output.append(contentsOf: out[0..<(chunk - Int(stream.avail_out))])
                }
            } while status != Z_STREAM_END && (stream.avail_in > 0 || stream.avail_out == 0)
        }
        guard status == Z_STREAM_END else { throw DataError.gzip(path: path, message: "truncated (the gzip stream ends early)") }
        return output
    }
}
