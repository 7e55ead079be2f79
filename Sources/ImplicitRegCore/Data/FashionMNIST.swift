/// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017; MIT licence): 60,000 training and 10,000 test
/// 28×28 grey images in 10 classes, from the IDX files of the Debian package dataset-fashion-mnist.
public enum FashionMNIST {
    /// Where the Debian package installs the files.
    public static let systemDirectory = "/usr/share/datasets/fashion-mnist"
    static let remedy = "install the Debian package (apt-get install dataset-fashion-mnist) and run `make data`"

    /// Loads both splits, pixels scaled to [0, 1], checked against the checksums.
    public static func load<T: BLASScalar>(from data: DataDirectory, as: T.Type = T.self) throws -> (train: Dataset<T>, test: Dataset<T>) {
        (try split("train", data: data), try split("t10k", data: data))
    }

    static func split<T: BLASScalar>(_ prefix: String, data: DataDirectory) throws -> Dataset<T> {
        func path(_ kind: String) throws -> String {
            let file = "\(prefix)-\(kind)-idx\(kind == "images" ? 3 : 1)-ubyte.gz"
            return try data.verifiedPath("fashion-mnist/\(file)", fallback: "\(systemDirectory)/\(file)", remedy: remedy)
        }
        let imagePath = try path("images"), labelPath = try path("labels")
        let images = try IDXReader.read(path: imagePath, dimensions: 3, missingRemedy: remedy)
        let labels = try IDXReader.read(path: labelPath, dimensions: 1, missingRemedy: remedy)
        guard images.dimensions[0] == labels.dimensions[0] else {
            throw DataError.wrongSize(path: labelPath, expected: images.dimensions[0], found: labels.dimensions[0])
        }
        let (n, h, w) = (images.dimensions[0], images.dimensions[1], images.dimensions[2])
        return Dataset(name: prefix == "train" ? "fashion-mnist/train" : "fashion-mnist/test",
                       inputs: Matrix(rows: n, cols: h * w, storage: scaledPixels(images.bytes)),
                       labels: labels.bytes.map(Int32.init), classCount: 10, exampleShape: (1, h, w))
    }
}

/// Pixels 0–255 as scalars in [0, 1].
func scaledPixels<T: BLASScalar>(_ bytes: [UInt8]) -> [T] {
    var out = [T](repeating: 0, count: bytes.count)
    bytes.withUnsafeBufferPointer { b in
        out.withUnsafeMutableBufferPointer { T.convert(bytes: b.baseAddress!, $0.baseAddress!, bytes.count, scale: 1 / 255) }
    }
    return out
}
