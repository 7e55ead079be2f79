/// Matrices and vectors of doubles as datasets.
extension HDF5Document {
    /// `m` as a 2-D float64 dataset (rows × cols, row-major).
    public mutating func addMatrix(_ path: String, _ m: Matrix<Double>, units: String, description: String) {
        addDataset(path, .double(m.storage), shape: [m.rows, m.cols], units: units, description: description)
    }

    /// `v` as a 1-D float64 dataset.
    public mutating func addVector(_ path: String, _ v: [Double], units: String, description: String) {
        addDataset(path, .double(v), units: units, description: description)
    }
}
