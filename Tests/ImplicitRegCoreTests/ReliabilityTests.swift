import CHDF5
import Foundation
import ImplicitRegCore
import TestSupport
import Testing

// Regression tests of inputs to the core's data and HDF5 readers that once crashed, hung or ran away.
// The commands' are in Tests/ReadingSupportTests/CommandReliabilityTests.swift; `make test-fuzz`
// (Tests/fuzz/) generates thousands more.

@Suite("Reliability: data readers")
struct DataReliabilityTests {
    /// 10 classes × `perClass` examples, with class `missing` left out.
    private func toy(perClass: Int, missing: Int? = nil) -> Dataset<Float> {
        let labels = (0..<(10 * perClass)).map { Int32($0 % 10) }.filter { $0 != missing.map(Int32.init) }
        return Dataset(name: "toy/train", inputs: Matrix(rows: labels.count, cols: 2),
                       labels: labels, classCount: 10)
    }

    @Test func releaseBuildsKeepSwiftsChecks() throws {
        let manifest = try String(contentsOfFile: "\(ExecutableRunner.repositoryRoot)/Package.swift", encoding: .utf8)
        #expect(!manifest.contains("-Ounchecked"))
        #expect(!manifest.contains("unsafeFlags"))  // SwiftPM refuses unsafe flags in a dependency
    }

    // Once a null dereference in stratifiedSubset (12 inputs of the fuzzing report).
    @Test func dataTooSmallForTheConfigIsAnErrorNamingTheField() throws {
        var rng = Xoshiro256StarStar(seed: 1)
        #expect(throws: DataError.self) { try toy(perClass: 9).stratifiedSubset(count: 100, field: "train_size", using: &rng) }
        do {
            _ = try toy(perClass: 50, missing: 3).stratifiedSubset(count: 100, field: "train_size", using: &rng)
            Issue.record("a training set without class 3 gave a stratified subset")
        } catch let error as DataError {
            #expect(error.description.contains("class 3") && error.description.contains("train_size") && error.description.contains("toy/train"))
        }
        #expect(throws: DataError.self) { try toy(perClass: 9).split(first: 91, field: "mnist.train_size", using: &rng) }
        #expect(throws: DataError.self) { try toy(perClass: 9).first(91, field: "test_size") }
        #expect(throws: DataError.self) { try toy(perClass: 9).last(91, field: "network.test_size") }
        #expect(try toy(perClass: 10).stratifiedSubset(count: 100, using: &rng).count == 100)
    }

    // Once an endless checksum read of a data file linked to /dev/zero.
    @Test func devicesAndFIFOsAreRefusedAtOnce() throws {
        let dir = try Scratch("devzero")
        try FileManager.default.createDirectory(atPath: "\(dir.path)/mnist-5k", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: "\(dir.path)/mnist-5k/mnist_5k.csv.gz", withDestinationPath: "/dev/zero")
        try dir.write("checksums.sha256", String(repeating: "0", count: 64) + "  mnist-5k/mnist_5k.csv.gz\n")
        do {
            _ = try DataDirectory(root: dir.path).verifiedPath("mnist-5k/mnist_5k.csv.gz")
            Issue.record("/dev/zero was accepted as a data file")
        } catch let error as DataError {
            #expect(error.description.contains("character device"), "\(error)")
        }
        let fifo = "\(dir.path)/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: DataError.self) { try SHA256.hexDigest(ofFile: fifo) }  // would block forever on a FIFO with no writer
        #expect(throws: DataError.self) { try Gzip.decompress(file: dir.path) }
    }

    @Test func decompressionStopsAtItsLimit() throws {
        let dir = try Scratch("gzbomb")
        let path = "\(dir.path)/zeros.gz"
        try Gzip.compress([UInt8](repeating: 0, count: 1 << 20), to: path)  // 1 MiB of zeros, ~1 KB compressed
        #expect(throws: DataError.self) { _ = try Gzip.decompress(file: path, limit: 1 << 16).count }
        #expect(try Gzip.decompress(file: path).count == 1 << 20, "the default limit refused 1 MiB")
    }

    // Once "has no checksum for …": Swift reads "\r\n" as one Character.
    @Test func checksumListsWithCRLFLineEndsParse() throws {
        let dir = try Scratch("crlf")
        let a = String(repeating: "a", count: 64), b = String(repeating: "b", count: 64)
        try dir.write("checksums.sha256", "\(a)  one/x.gz\r\n\(b) *two/y.gz\r\n")
        #expect(try DataDirectory(root: dir.path).checksums() == ["one/x.gz": a, "two/y.gz": b])
    }
}

@Suite("Reliability: HDF5 files")
struct HDF5ReliabilityTests {
    /// A file with one chunked dataset of `extent` doubles whose values were never written.
    private func unwritten(_ path: String, extent: [hsize_t]) {
        let file = H5Fcreate(path, ir_h5f_acc_trunc(), hid_t(H5P_DEFAULT), hid_t(H5P_DEFAULT))
        let space = H5Screate_simple(Int32(extent.count), extent, nil)
        let dcpl = H5Pcreate(ir_h5p_dataset_create())
        var chunk = [hsize_t](repeating: 1, count: extent.count)
        chunk[chunk.count - 1] = min(extent[extent.count - 1], 1 << 20)
        H5Pset_chunk(dcpl, Int32(chunk.count), chunk)
        let dataset = H5Dcreate2(file, "huge", ir_h5t_native_double(), space, hid_t(H5P_DEFAULT), dcpl, hid_t(H5P_DEFAULT))
        #expect(file >= 0 && space >= 0 && dcpl >= 0 && dataset >= 0, "the fixture could not be made")
        H5Dclose(dataset); H5Pclose(dcpl); H5Sclose(space); H5Fclose(file)
    }

    // Once an abort allocating 8.8 TB for a 2⁴⁰-element extent.
    @Test func extentsTheFileCannotHoldAreRefusedBeforeAllocating() throws {
        let dir = try Scratch("extent")
        let path = "\(dir.path)/huge.h5"
        unwritten(path, extent: [1 << 40])
        do {
            _ = try HDF5Document.read(from: path)
            Issue.record("a 2^40-element dataset was read")
        } catch let error as HDF5Error {
            #expect(error.description.contains("/huge") && error.description.contains(path), "\(error)")
        }
        unwritten(path, extent: [4, 4, 4, 4, 4, 4, 4, 4, 4])
        #expect(throws: HDF5Error.self) { try HDF5Document.read(from: path) }  // rank 9 > 8
    }

    @Test func limitsAreCheckedAgainstWhatAFileClaims() throws {
        let dir = try Scratch("limits")
        let path = "\(dir.path)/doc.h5"
        var doc = HDF5Document()
        doc.addDataset("/curves/x", .double((0..<4096).map(Double.init)), units: "1", description: "x")
        try doc.write(to: path)
        #expect(try HDF5Document.read(from: path).datasets == doc.datasets)
        var small = HDF5ReadLimits()
        small.maxDatasetBytes = 1024
        #expect(throws: HDF5Error.self) { try HDF5Document.read(from: path, limits: small) }
        small = HDF5ReadLimits()
        small.maxFileBytes = 100
        #expect(throws: HDF5Error.self) { try HDF5Document.read(from: path, limits: small) }
        #expect(throws: HDF5Error.self) { try HDF5Document.read(from: dir.path) }  // a directory
        try Data(count: 512).write(to: URL(fileURLWithPath: path))  // once a 100 % CPU spin in verify
        #expect(throws: HDF5Error.self) { try HDF5Document.read(from: path) }
    }

    @Test func temporaryNamesAreOnlyTheSuites() {
        let name = (HDF5Document.temporaryName(for: "/out/points/abc.h5") as NSString).lastPathComponent
        #expect(name == ".abc.h5.implicit-reg-tmp-\(getpid())")
        #expect(HDF5Document.temporaryPID(name) == getpid())
        for foreign in ["thesis.tex.tmp-4000000", "abc.h5.tmp-123", ".abc.h5.implicit-reg-tmp-", ".abc.h5.implicit-reg-tmp-12x",
                        ".implicit-reg-tmp-5", "abc.h5.implicit-reg-tmp-5"] {
            #expect(HDF5Document.temporaryPID(foreign) == nil, "\(foreign)")
        }
    }
}
