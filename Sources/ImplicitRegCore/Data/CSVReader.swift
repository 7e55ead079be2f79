/// Reader for labelled-image CSV files such as MNIST-5k: one example a line, `featureCount`
/// pixel values 0–255, then the label 0..<classCount, comma-separated, no header (a header line
/// is reported as a malformed line 1). Lines may end in `\n` or `\r\n`; the last may lack one.
public enum CSVReader {
    /// Parses `bytes` (the decompressed text of `file`, named in errors) into row-major pixels
    /// (rows × featureCount) and labels, checking every field; errors give the line number.
    public static func parseLabeledPixels(_ bytes: [UInt8], file: String, featureCount: Int = 784,
                                          classCount: Int = 10) throws -> (pixels: [UInt8], labels: [Int32]) {
        var pixels: [UInt8] = []
        var labels: [Int32] = []
        pixels.reserveCapacity(bytes.count / 2)
        let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), zero = UInt8(ascii: "0")
        try bytes.withUnsafeBufferPointer { text in
            var start = 0, line = 0
            while start < text.count {
                line += 1
                var end = start
                while end < text.count && text[end] != newline { end += 1 }
                let next = end + 1
                if end > start && text[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                func fail(_ reason: String) -> DataError { .malformedRow(file: file, line: line, reason: reason) }

                guard end > start else { throw fail("the line is empty") }
                let fields = 1 + text[start..<end].reduce(0) { $0 + ($1 == comma ? 1 : 0) }
                guard fields == featureCount + 1 else {
                    throw fail("\(fields) fields, expected \(featureCount + 1) (\(featureCount) pixels and a label)")
                }
                var i = start
                for field in 0...featureCount {
                    let fieldStart = i
                    var value = 0
                    while i < end && text[i] != comma {
                        let digit = Int(text[i]) - Int(zero)
                        guard (0...9).contains(digit), i - fieldStart < 6 else {
                            while i < end && text[i] != comma { i += 1 }
                            let shown = String(decoding: text[fieldStart..<min(i, fieldStart + 20)], as: UTF8.self)
                            throw fail("field \(field + 1) is \"\(shown)\", not an integer in range")
                        }
                        value = value * 10 + digit
                        i += 1
                    }
                    guard i > fieldStart else { throw fail("field \(field + 1) is empty") }
                    if field < featureCount {
                        guard value <= 255 else { throw fail("pixel \(field + 1) is \(value), outside 0...255") }
                        pixels.append(UInt8(value))
                    } else {
                        guard value < classCount else { throw fail("label \(value) is outside 0...\(classCount - 1)") }
                        labels.append(Int32(value))
                    }
                    i += 1  // past the comma
                }
                start = next
            }
        }
        return (pixels, labels)
    }

    /// Reads the gzip-compressed CSV file at `path` (see ``parseLabeledPixels(_:file:featureCount:classCount:)``).
    public static func readLabeledPixels(file path: String, featureCount: Int = 784,
                                         classCount: Int = 10) throws -> (pixels: [UInt8], labels: [Int32]) {
        try parseLabeledPixels(Gzip.decompress(file: path), file: path, featureCount: featureCount, classCount: classCount)
    }
}
