/// Reader for the MNIST-5k CSV: one image a line, 784 pixel values 0–255, then the label 0–9.
public enum CSVReader {
    /// Parses the rows of `text` (from `path`, for messages) into pixels (n × `features`) and labels.
    public static func parseImages(_ bytes: [UInt8], path: String, features: Int = 784, classes: Int = 10)
        throws -> (pixels: [UInt8], labels: [Int32]) {
        var pixels: [UInt8] = []
        var labels: [Int32] = []
        pixels.reserveCapacity(bytes.count / 2)
        var line = 1
        var field = 0
        var value = 0
        var digits = 0
        var row: [Int] = []
        row.reserveCapacity(features + 1)
        func finishField() throws {
            guard digits > 0 else { throw DataError.malformedRow(path: path, line: line, reason: "field \(field + 1) is empty") }
            row.append(value)
            field += 1
            value = 0
            digits = 0
        }
        func finishRow() throws {
            if row.isEmpty && digits == 0 && field == 0 { return }  // blank line (e.g. the final newline)
            try finishField()
            guard row.count == features + 1 else {
                throw DataError.malformedRow(path: path, line: line, reason: "\(row.count) fields, expected \(features + 1)")
            }
            for (i, v) in row.dropLast().enumerated() where v > 255 {
                throw DataError.malformedRow(path: path, line: line, reason: "pixel \(i + 1) = \(v) is outside 0–255")
            }
            guard row[features] < classes else {
                throw DataError.malformedRow(path: path, line: line, reason: "label \(row[features]) is outside 0–\(classes - 1)")
            }
            pixels.append(contentsOf: row.dropLast().map { UInt8($0) })
            labels.append(Int32(row[features]))
            row.removeAll(keepingCapacity: true)
            field = 0
        }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
                if digits > 6 { throw DataError.malformedRow(path: path, line: line, reason: "field \(field + 1) is too long") }
            case UInt8(ascii: ","):
                try finishField()
            case UInt8(ascii: "\n"):
                try finishRow()
                line += 1
            case UInt8(ascii: "\r"), UInt8(ascii: " "):
                continue
            default:
                throw DataError.malformedRow(path: path, line: line,
                                             reason: "field \(field + 1) is not a non-negative integer (byte 0x\(String(byte, radix: 16)))")
            }
        }
        try finishRow()
        guard !labels.isEmpty else { throw DataError.malformedRow(path: path, line: line, reason: "no rows") }
        return (pixels, labels)
    }
}
