/// The data sets the suite reads, by the names `data/README.md` and `make data` use. A run checks
/// the ones its points need before any point starts (``verify(in:)``), so a missing or altered
/// file is an error at once rather than after the first points' work.
public enum DataSetName: String, Sendable, Hashable, CaseIterable, Comparable {
    /// MNIST-5k (``MNIST5k``).
    case mnist5k = "mnist-5k"
    /// Fashion-MNIST (``FashionMNIST``).
    case fashionMNIST = "fashion-mnist"

    /// Locates every file of the data set in `data` (Fashion-MNIST: or the Debian package's copy)
    /// and checks it against its pinned SHA-256, without decoding it; returns the paths. Throws
    /// the loader's own ``DataError`` (a missing file's says to run `make data`).
    @discardableResult
    public func verify(in data: DataDirectory) throws -> [String] {
        switch self {
        case .mnist5k:
            return [try data.verifiedPath(MNIST5k.relativePath)]
        case .fashionMNIST:
            return try FashionMNIST.files.map {
                try data.verifiedPath("fashion-mnist/\($0)", fallback: "\(FashionMNIST.systemDirectory)/\($0)", remedy: FashionMNIST.remedy)
            }
        }
    }

    public static func < (a: DataSetName, b: DataSetName) -> Bool { a.rawValue < b.rawValue }
}
