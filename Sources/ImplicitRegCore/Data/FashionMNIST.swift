/// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017; MIT licence): 60,000 training and 10,000 test
/// 28×28 grey-scale images of clothing in 10 balanced classes, read from the gzip-compressed IDX
/// files of the Debian package `dataset-fashion-mnist`.
public enum FashionMNIST {
    /// Where the Debian package installs the four files; used when `<data>/fashion-mnist/` lacks them.
    public static let systemDirectory = "/usr/share/datasets/fashion-mnist"
    /// What to do when a file is missing.
    public static let remedy = "run `make data`, which links the files of the Debian package dataset-fashion-mnist (install it with `apt-get install dataset-fashion-mnist`)"
    /// The four files, in `<data>/fashion-mnist/` or ``systemDirectory``.
    public static let files = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                               "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]
    /// The class names, by label.
    public static let classNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    /// Both splits, each file checked against `checksums.sha256` first: inputs n × 784 with pixels
    /// divided by 255 (so in [0, 1]), example shape (1, 28, 28), 10 classes, named
    /// "fashion-mnist/train" and "fashion-mnist/test".
    public static func load<T: BLASScalar>(from data: DataDirectory, as: T.Type = T.self) throws -> (train: Dataset<T>, test: Dataset<T>) {
        (try split("train", name: "fashion-mnist/train", from: data), try split("t10k", name: "fashion-mnist/test", from: data))
    }

    /// One split from `<prefix>-images-idx3-ubyte.gz` and `<prefix>-labels-idx1-ubyte.gz`.
    static func split<T: BLASScalar>(_ prefix: String, name: String, from data: DataDirectory) throws -> Dataset<T> {
        func read(_ file: String, dimensionCount: Int) throws -> (path: String, dimensions: [Int], bytes: [UInt8]) {
            let path = try data.verifiedPath("fashion-mnist/\(file)", fallback: "\(systemDirectory)/\(file)", remedy: remedy)
            let (dimensions, bytes) = try IDXReader.read(file: path, dimensionCount: dimensionCount)
            return (path, dimensions, bytes)
        }
        let images = try read("\(prefix)-images-idx3-ubyte.gz", dimensionCount: 3)
        let labels = try read("\(prefix)-labels-idx1-ubyte.gz", dimensionCount: 1)
        let n = images.dimensions[0]
        guard images.dimensions[1...] == [28, 28] else {
            throw DataError.malformed(file: images.path, reason: "images are \(images.dimensions[1])×\(images.dimensions[2]), expected 28×28")
        }
        guard labels.dimensions[0] == n else {
            throw DataError.malformed(file: labels.path, reason: "\(labels.dimensions[0]) labels for the \(n) images of \(images.path)")
        }
        if let bad = labels.bytes.first(where: { $0 >= 10 }) {
            throw DataError.malformed(file: labels.path, reason: "label \(bad) is outside 0...9")
        }
        return Dataset(name: name, inputs: Matrix(rows: n, cols: 784, pixels: images.bytes),
                       labels: labels.bytes.map(Int32.init), classCount: 10, exampleShape: (1, 28, 28))
    }
}
