import ImplicitRegCore

/// A point file read back for merging lacks what its reading wrote: the message names the point
/// and the path, and the remedy is to run the point again.
public enum PointFileError: Error, CustomStringConvertible {
    /// No scalar dataset at `path`.
    case missingScalar(point: String, path: String)
    /// No dataset (curve) at `path`.
    case missingCurve(point: String, path: String)
    /// Nothing under the group `path`.
    case missing(point: String, path: String)

    public var description: String {
        switch self {
        case let .missingScalar(point, path): "the file of point \(point) has no scalar \(path); run the point again"
        case let .missingCurve(point, path): "the file of point \(point) has no dataset \(path); run the point again"
        case let .missing(point, path): "the file of point \(point) has no \(path); run the point again"
        }
    }
}

extension HDF5Document {
    /// The scalar at `path` of point `point`'s file, or ``PointFileError/missingScalar(point:path:)``.
    public func required(_ path: String, point: String) throws -> Double {
        guard let v = scalar(path) else { throw PointFileError.missingScalar(point: point, path: path) }
        return v
    }

    /// Copies a point's `/curves` (with their group attributes) and `/summary` into this summary
    /// unchanged — for readings whose points write distinct paths. Throws when the point has no
    /// `/summary`.
    public mutating func mergeCurvesAndSummary(of document: HDF5Document, point: String) throws {
        guard document.datasets.keys.contains(where: { $0.hasPrefix("/summary/") }) else {
            throw PointFileError.missing(point: point, path: "/summary")
        }
        merge(document, from: "/curves", into: "/curves")
        merge(document, from: "/summary", into: "/summary")
        for (group, attributes) in document.groupAttributes where group.hasPrefix("/curves") {
            for (key, value) in attributes { setAttribute(key, value, on: group) }
        }
    }
}
