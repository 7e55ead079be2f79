import Foundation
import ImplicitRegCore
import Testing

/// Scratch files for the reader tests, removed when the value goes away.
private final class ScratchDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("ir-data-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes raw `bytes` to `name` and returns the path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = "\(path)/\(name)"
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// Writes `bytes` gzip-compressed to `name` and returns the path.
    @discardableResult
    func writeGzip(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = "\(path)/\(name)"
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Gzip.compress(bytes, to: file)
        return file
    }
}

/// An IDX file: magic 0x0000_08_nn, the dimensions, then the bytes.
private func idx(_ dimensions: [Int], _ payload: [UInt8]) -> [UInt8] {
    func word(_ v: Int) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> $0) } }
    return word(0x800 | dimensions.count) + dimensions.flatMap(word) + payload
}

/// The checkout (this file is Tests/ImplicitRegCoreTests/DataReaderTests.swift).
private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

@Suite("Data readers")
struct DataReaderTests {
    // MARK: Gzip

    @Test func gzipRoundTripsAndJoinsMembers() throws {
        let scratch = try ScratchDirectory()
        let a: [UInt8] = Array("first member\n".utf8), b = [UInt8](repeating: 7, count: 200_000)
        let pathA = try scratch.writeGzip("a.gz", a), pathB = try scratch.writeGzip("b.gz", b)
        #expect(try Gzip.decompress(file: pathA) == a)
        #expect(try Gzip.decompress(file: pathB) == b)
        let joined = try scratch.write("ab.gz", [UInt8](try Data(contentsOf: URL(fileURLWithPath: pathA)))
                                       + [UInt8](try Data(contentsOf: URL(fileURLWithPath: pathB))))
        #expect(try Gzip.decompress(file: joined) == a + b)
    }

    @Test func gzipRefusesPlainFiles() throws {
        let scratch = try ScratchDirectory()
        let path = try scratch.write("plain.idx", idx([2], [1, 2]))
        let error = #expect(throws: DataError.self) { try Gzip.decompress(file: path) }
        #expect(error?.description.contains(path) == true)
    }

    // MARK: IDX

    @Test func validIDXFilesParse() throws {
        let scratch = try ScratchDirectory()
        let pixels = (0..<24).map { UInt8($0 * 10) }
        let images = try scratch.writeGzip("images.gz", idx([2, 3, 4], pixels))
        let labels = try scratch.writeGzip("labels.gz", idx([2], [3, 9]))
        let parsedImages = try IDXReader.read(file: images, dimensionCount: 3)
        #expect(parsedImages.dimensions == [2, 3, 4])
        #expect(parsedImages.bytes == pixels)
        let parsedLabels = try IDXReader.read(file: labels, dimensionCount: 1)
        #expect(parsedLabels.dimensions == [2])
        #expect(parsedLabels.bytes == [3, 9])
    }

    enum BrokenIDX: String, CaseIterable {
        case truncated, trailingBytes, wrongMagic, wrongDimensionCount, corruptGzip, truncatedGzip, empty
    }

    @Test(arguments: BrokenIDX.allCases)
    func brokenIDXFilesThrowNamingTheFile(_ kind: BrokenIDX) throws {
        let scratch = try ScratchDirectory()
        let name = "broken-\(kind.rawValue)-images.gz"
        let good = idx([3, 28, 28], (0..<(3 * 784)).map { UInt8(truncatingIfNeeded: $0 * 7 / 5) })
        switch kind {
        case .truncated: try scratch.writeGzip(name, Array(good.dropLast(100)))
        case .trailingBytes: try scratch.writeGzip(name, good + [0, 0, 0])
        case .wrongMagic: try scratch.writeGzip(name, [0, 0, 0x0D] + good.dropFirst(3))  // 0x0D: 32-bit floats
        case .wrongDimensionCount: try scratch.writeGzip(name, idx([3 * 28, 28], Array(good.dropFirst(16))))
        case .corruptGzip, .truncatedGzip:
            let path = try scratch.writeGzip(name, good)
            var gz = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            if kind == .corruptGzip {
                for i in (gz.count / 2)..<(gz.count / 2 + 8) { gz[i] ^= 0xA5 }
            } else {
                gz.removeLast(gz.count / 2)
            }
            try scratch.write(name, gz)
        case .empty: try scratch.write(name, [])
        }
        let path = "\(scratch.path)/\(name)"
        let error = #expect(throws: DataError.self) { try IDXReader.read(file: path, dimensionCount: 3) }
        #expect(error?.description.contains(path) == true, "\(String(describing: error))")
        switch (kind, error) {
        case (.truncated, .truncated?), (.trailingBytes, .trailingBytes?), (.wrongMagic, .wrongMagic?),
             (.wrongDimensionCount, .wrongMagic?), (.corruptGzip, .gzip?), (.truncatedGzip, .gzip?), (.empty, .gzip?):
            break
        default:
            Issue.record("\(kind) gave \(String(describing: error))")
        }
    }

    // MARK: CSV

    @Test func validCSVParses() throws {
        let scratch = try ScratchDirectory()
        let row1 = (0..<784).map { String($0 % 256) } + ["7"]
        let row2 = (0..<784).map { String(255 - $0 % 256) } + ["0"]
        let text = row1.joined(separator: ",") + "\n" + row2.joined(separator: ",") + "\n"
        let path = try scratch.writeGzip("two.csv.gz", Array(text.utf8))
        let (pixels, labels) = try CSVReader.readLabeledPixels(file: path)
        #expect(labels == [7, 0])
        #expect(pixels.count == 2 * 784)
        #expect(pixels[0..<784].elementsEqual((0..<784).map { UInt8($0 % 256) }))
        #expect(pixels[784...].elementsEqual((0..<784).map { UInt8(255 - $0 % 256) }))
    }

    /// One good line, then a bad second line; the error must name the file and line 2.
    @Test(arguments: [
        ("784 fields", Array(repeating: "0", count: 784).joined(separator: ","), "784 fields"),
        ("non-integer", (Array(repeating: "0", count: 10) + ["12.5"] + Array(repeating: "0", count: 774)).joined(separator: ","), "12.5"),
        ("label 11", (Array(repeating: "0", count: 784) + ["11"]).joined(separator: ","), "label 11"),
        ("pixel 256", (["256"] + Array(repeating: "0", count: 784)).joined(separator: ","), "256"),
    ])
    func badCSVRowsThrowNamingFileAndLine(kind: String, badLine: String, fragment: String) throws {
        let scratch = try ScratchDirectory()
        let good = (Array(repeating: "1", count: 784) + ["3"]).joined(separator: ",")
        let path = try scratch.writeGzip("bad.csv.gz", Array((good + "\n" + badLine + "\n").utf8))
        let error = #expect(throws: DataError.self, "\(kind)") { try CSVReader.readLabeledPixels(file: path) }
        let message = error?.description ?? ""
        #expect(message.contains(path) && message.contains("line 2") && message.contains(fragment), "\(message)")
    }

    /// A cut gzip stream fails in zlib, before any line is parsed: the error names the file.
    @Test func truncatedCSVGzipThrowsNamingTheFile() throws {
        let scratch = try ScratchDirectory()
        let rows = (0..<50).map { r in ((0..<784).map { String(($0 * r) % 256) } + [String(r % 10)]).joined(separator: ",") }
        let path = try scratch.writeGzip("cut.csv.gz", Array((rows.joined(separator: "\n") + "\n").utf8))
        let gz = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        try scratch.write("cut.csv.gz", Array(gz.prefix(gz.count * 2 / 3)))
        let error = #expect(throws: DataError.self) { try CSVReader.readLabeledPixels(file: path) }
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains("truncated") == true)
    }

    // MARK: Data directory and checksums

    @Test func directoryResolutionOrder() {
        let env = ["IMPLICIT_REG_DATA": "/from/env"]
        #expect(DataDirectory(explicit: "/explicit", environment: env, repositoryRoot: "/repo").root == "/explicit")
        #expect(DataDirectory(explicit: nil, environment: env, repositoryRoot: "/repo").root == "/from/env")
        #expect(DataDirectory(explicit: nil, environment: [:], repositoryRoot: "/repo").root == "/repo/data")
    }

    @Test func verifiedPathChecksExistenceListingAndChecksum() throws {
        let scratch = try ScratchDirectory()
        let content: [UInt8] = Array("pinned content".utf8)
        let file = try scratch.write("sets/file.bin", content)
        try scratch.write("unlisted.bin", [1])
        let listing = "\(SHA256.hexDigest(of: content))  sets/file.bin\n"
            + "\(String(repeating: "0", count: 64)) *sets/other.bin\n"
            + "\(String(repeating: "ab", count: 32))  missing.bin\n"
        try scratch.write("checksums.sha256", Array(listing.utf8))
        try scratch.write("sets/other.bin", [1, 2, 3])
        let data = DataDirectory(root: scratch.path)

        #expect(try data.verifiedPath("sets/file.bin") == file)

        let mismatch = #expect(throws: DataError.self) { try data.verifiedPath("sets/other.bin") }
        #expect(mismatch?.description.contains("\(scratch.path)/sets/other.bin") == true)
        #expect(mismatch?.description.contains(String(repeating: "0", count: 64)) == true)

        let missing = #expect(throws: DataError.self) { try data.verifiedPath("missing.bin") }
        #expect(missing?.description.contains("\(scratch.path)/missing.bin") == true)
        #expect(missing?.description.contains("make data") == true)

        let unlisted = #expect(throws: DataError.self) { try data.verifiedPath("unlisted.bin") }
        #expect(unlisted == .noChecksum(file: "unlisted.bin", list: "\(scratch.path)/checksums.sha256"))
    }

    @Test func fallbackIsVerifiedAgainstTheSameChecksum() throws {
        let scratch = try ScratchDirectory()
        let fallback = try scratch.write("elsewhere/f.gz", [9, 9, 9])
        try scratch.write("root/checksums.sha256", Array("\(SHA256.hexDigest(of: [9, 9, 9] as [UInt8]))  set/f.gz\n".utf8))
        let data = DataDirectory(root: "\(scratch.path)/root")
        #expect(try data.verifiedPath("set/f.gz", fallback: fallback) == fallback)
        try scratch.write("root/checksums.sha256", Array("\(SHA256.hexDigest(of: [1] as [UInt8]))  set/f.gz\n".utf8))
        #expect(throws: DataError.checksumMismatch(file: fallback, expected: SHA256.hexDigest(of: [1] as [UInt8]),
                                                   found: SHA256.hexDigest(of: [9, 9, 9] as [UInt8]))) {
            try data.verifiedPath("set/f.gz", fallback: fallback)
        }
    }

    @Test func loadersRefuseMissingOrAlteredFiles() throws {
        let scratch = try ScratchDirectory()
        try scratch.write("checksums.sha256", Array("\(String(repeating: "1", count: 64))  mnist-5k/mnist_5k.csv.gz\n".utf8))
        let data = DataDirectory(root: scratch.path)
        let missing = #expect(throws: DataError.self) { try MNIST5k.load(from: data, as: Float.self) }
        #expect(missing?.description.contains("mnist_5k.csv.gz") == true)
        #expect(missing?.description.contains("make data") == true)

        let row = (Array(repeating: "0", count: 784) + ["1"]).joined(separator: ",")
        let path = try scratch.writeGzip("mnist-5k/mnist_5k.csv.gz", Array((row + "\n").utf8))
        let altered = #expect(throws: DataError.self) { try MNIST5k.load(from: data, as: Float.self) }
        #expect(altered?.description.contains(path) == true)
        #expect(altered?.description.contains("SHA-256") == true)
    }

    // MARK: The real files (when installed)

    static let repositoryData = DataDirectory(explicit: nil, repositoryRoot: repositoryRoot)

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz"),
                   "needs the Debian package dataset-fashion-mnist"))
    func fashionMNISTLoads() throws {
        let (train, test) = try FashionMNIST.load(from: Self.repositoryData, as: Float.self)
        #expect(train.count == 60_000 && test.count == 10_000)
        #expect(train.featureCount == 784 && train.exampleShape == (1, 28, 28) && train.classCount == 10)
        #expect(train.name == "fashion-mnist/train" && test.name == "fashion-mnist/test")
        var perClass = [Int](repeating: 0, count: 10)
        for label in train.labels { perClass[Int(label)] += 1 }
        #expect(perClass == [Int](repeating: 6000, count: 10))
        #expect(train.inputs.storage.min() == 0 && train.inputs.storage.max() == 1)
        #expect(test.labels.prefix(5) == [9, 2, 1, 1, 6])  // the first test images: boot, pullover, trousers, trousers, shirt
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "\(DataReaderTests.repositoryData.root)/mnist-5k/mnist_5k.csv.gz"),
                   "needs `make data` (MNIST-5k)"))
    func mnist5kLoads() throws {
        let data = try MNIST5k.load(from: Self.repositoryData, as: Double.self)
        #expect(data.count == 5000 && data.featureCount == 784 && data.name == "mnist-5k")
        var perClass = [Int](repeating: 0, count: 10)
        for label in data.labels { perClass[Int(label)] += 1 }
        #expect(perClass == [Int](repeating: 500, count: 10))
        #expect(data.labels == data.labels.sorted())
        #expect(data.inputs.storage.allSatisfy { (0...1).contains($0) })
    }
}
