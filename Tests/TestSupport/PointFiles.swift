import Foundation
import ImplicitRegCore

/// One results directory's point files, found by label through `points/index.tsv` (index, id,
/// label, status), and their datasets as Swift values, for tests that recheck a point from its
/// file alone.
public struct PointFiles {
    public let out: String

    public init(_ out: String) { self.out = out }

    /// The point file of the point labelled `label`, read back.
    public func document(_ label: String) throws -> HDF5Document {
        let index = try String(contentsOfFile: "\(out)/points/index.tsv", encoding: .utf8)
        let rows = index.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        guard let row = rows.first(where: { $0.count == 4 && $0[2] == label }) else {
            throw PointFileLookupError(reason: "no point labelled \(label) in \(out)/points/index.tsv")
        }
        guard row[3] == "done" else { throw PointFileLookupError(reason: "point \(label) is \(row[3]), not done") }
        return try HDF5Document.read(from: "\(out)/points/\(row[1]).h5")
    }
}

extension HDF5Document {
    /// The float64 dataset at `path` (row-major), or an error naming it.
    public func doubles(_ path: String) throws -> [Double] {
        guard case let .double(values)? = datasets[path]?.values else { throw PointFileLookupError(reason: "no float64 dataset \(path)") }
        return values
    }

    /// The float32 dataset at `path` (row-major), widened to Double, or an error naming it.
    public func floats(_ path: String) throws -> [Double] {
        guard case let .float(values)? = datasets[path]?.values else { throw PointFileLookupError(reason: "no float32 dataset \(path)") }
        return values.map(Double.init)
    }

    /// The int64 dataset at `path` (row-major) as Ints, or an error naming it.
    public func integers(_ path: String) throws -> [Int] {
        guard case let .int64(values)? = datasets[path]?.values else { throw PointFileLookupError(reason: "no int64 dataset \(path)") }
        return values.map(Int.init)
    }

    /// The shape of the dataset at `path` ([] if there is none).
    public func shape(_ path: String) -> [Int] { datasets[path]?.shape ?? [] }
}

/// A point file or dataset a test looked for is not there.
public struct PointFileLookupError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
