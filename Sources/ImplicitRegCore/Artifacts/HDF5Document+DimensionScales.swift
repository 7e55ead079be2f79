import CHDF5

/// Dimension scales: the HDF5 convention (netCDF-4's too) for naming the axis of a dataset, so
/// that `xarray.open_dataset(file, group=..., engine="h5netcdf")` shows a group's curves along
/// a named dimension (`epoch`, `batch_size`, `lambda`, ...) with the axis's values as its
/// coordinate, instead of `phony_dim_0`.
extension HDF5Document {
    /// The names a dataset may have to become its group's axis by the automatic rule, in order
    /// of preference (a training curve's `epoch` before its `step`; a sweep's step size before
    /// the λ derived from it).
    ///
    /// The rule, applied when the document is written to every group that has no declared scale
    /// (``setDimensionScale(_:for:)``): the first of these names that is a 1-D dataset of the
    /// group whose values are strictly increasing or strictly decreasing (no NaN), and that
    /// shares its length with at least one other 1-D dataset of the group (and is not itself
    /// labelled by a declared scale), becomes the group's dimension scale, attached to every other
    /// 1-D dataset of that length (and to no dataset already attached to a declared scale).
    /// Datasets of other lengths keep no named dimension.
    public static let automaticAxisNames = [
        "epoch", "step", "time", "step_size", "learning_rate", "batch_size", "lambda", "alpha",
        "factor", "levels", "ridge", "train_size", "h", "epsilon",
    ]

    /// Declares the 1-D dataset at `axis` the dimension scale of `datasets` (absolute paths of
    /// 1-D datasets of the same length, in any group; empty: every other 1-D dataset of the
    /// axis's group with its length). Replaces the automatic rule for the axis's group. Checked
    /// when the document is written: a missing dataset or a length that differs is an error
    /// naming it.
    public mutating func setDimensionScale(_ axis: String, for datasets: [String] = []) {
        dimensionScales[axis] = datasets
    }

    /// Every dimension scale the document is written with, sorted by axis path: the declared
    /// ones and those of the automatic rule, each with the datasets it labels (sorted).
    public func resolvedDimensionScales() -> [(axis: String, datasets: [String])] {
        var oneD: [String: [(path: String, count: Int)]] = [:]
        for (path, dataset) in datasets where dataset.shape.count == 1 {
            oneD[Self.parent(of: path), default: []].append((path, dataset.shape[0]))
        }
        var scales: [(axis: String, datasets: [String])] = []
        var attached: Set<String> = []
        for (axis, targets) in dimensionScales.sorted(by: { $0.key < $1.key }) {
            let group = Self.parent(of: axis)
            let labelled = targets.isEmpty
                ? (oneD[group] ?? []).filter { $0.path != axis && $0.count == datasets[axis]?.shape.first }.map(\.path)
                : targets
            scales.append((axis, labelled.sorted()))
            attached.formUnion(labelled)
        }
        let declaredGroups = Set(dimensionScales.keys.map(Self.parent(of:)))
        for (group, members) in oneD where !declaredGroups.contains(group) {
            for name in Self.automaticAxisNames {
                let axis = group == "/" ? "/\(name)" : "\(group)/\(name)"
                guard let dataset = datasets[axis], dataset.shape.count == 1, !attached.contains(axis),
                      dataset.values.isStrictlyMonotonic else { continue }
                let labelled = members.filter { $0.path != axis && $0.count == dataset.shape[0] && !attached.contains($0.path) }
                guard !labelled.isEmpty else { continue }
                scales.append((axis, labelled.map(\.path).sorted()))
                break
            }
        }
        return scales.sorted { $0.axis < $1.axis }
    }

    /// Makes each resolved scale a dimension scale (named after its dataset) and attaches it to
    /// dimension 0 of the datasets it labels, in sorted order, so the bytes depend only on the
    /// content. Called once every dataset exists.
    func writeDimensionScales(in file: hid_t, reportingAs name: String) throws {
        for (axis, labelled) in resolvedDimensionScales() {
            func refuse(_ path: String, _ reason: String) -> HDF5Error {
                .invalidObject(file: name, objectPath: path, reason: reason)
            }
            guard let axisDataset = datasets[axis], axisDataset.shape.count == 1 else {
                throw refuse(axis, "a dimension scale must be a 1-D dataset of the document")
            }
            for path in labelled {
                guard let dataset = datasets[path], dataset.shape == axisDataset.shape else {
                    throw refuse(path, "it is labelled by the dimension scale \(axis), which has \(axisDataset.shape[0]) values; it must be a 1-D dataset of that length")
                }
            }
            let scale = H5Dopen2(file, axis, hid_t(H5P_DEFAULT))
            guard scale >= 0 else {
                throw HDF5Error.writeFailed(file: name, objectPath: axis, reason: HDF5Library.lastError(or: "cannot open the dataset"))
            }
            defer { H5Dclose(scale) }
            let axisName = String(axis[axis.index(after: axis.lastIndex(of: "/")!)...])
            guard H5DSset_scale(scale, axisName) >= 0 else {
                throw HDF5Error.writeFailed(file: name, objectPath: axis, reason: HDF5Library.lastError(or: "cannot make it a dimension scale"))
            }
            for path in labelled {
                let id = H5Dopen2(file, path, hid_t(H5P_DEFAULT))
                guard id >= 0 else {
                    throw HDF5Error.writeFailed(file: name, objectPath: path, reason: HDF5Library.lastError(or: "cannot open the dataset"))
                }
                defer { H5Dclose(id) }
                guard H5DSattach_scale(id, scale, 0) >= 0 else {
                    throw HDF5Error.writeFailed(file: name, objectPath: path,
                                                reason: HDF5Library.lastError(or: "cannot attach the dimension scale \(axis)"))
                }
            }
        }
    }

    /// After reading a file (where every scale found is in ``dimensionScales``): keeps only the
    /// scales the automatic rule would not make (each with the datasets it labels, listed), so
    /// that a document read back equals the one written when its declarations listed their
    /// datasets. Keeps every scale as found if the rule cannot reproduce the file's.
    mutating func keepDeclaredScalesOnly() {
        guard !dimensionScales.isEmpty else { return }
        let found = dimensionScales.mapValues { $0.sorted() }
        dimensionScales = [:]
        let automatic = Dictionary(resolvedDimensionScales().map { ($0.axis, $0.datasets) }, uniquingKeysWith: { a, _ in a })
        // A declared scale turns the rule off for its group, so the group's other scales are declared too.
        let declaredGroups = Set(found.filter { automatic[$0.key] != $0.value }.keys.map(Self.parent(of:)))
        dimensionScales = found.filter { automatic[$0.key] != $0.value || declaredGroups.contains(Self.parent(of: $0.key)) }
        let resolved = Dictionary(resolvedDimensionScales().map { ($0.axis, $0.datasets) }, uniquingKeysWith: { a, _ in a })
        if resolved != found { dimensionScales = found }
    }

    /// The attribute names the dimension-scale convention reserves (`CLASS` and `NAME` only on a
    /// scale): reading skips them, since they describe the layout rather than the data.
    static let dimensionListAttributes: Set<String> = ["DIMENSION_LIST", "REFERENCE_LIST"]
}

extension DatasetValues {
    /// Whether the values strictly increase or strictly decrease (one value counts; NaN never).
    var isStrictlyMonotonic: Bool {
        let v: [Double]
        switch self {
        case let .float(x): v = x.map(Double.init)
        case let .double(x): v = x
        case let .int32(x): v = x.map(Double.init)
        case let .int64(x): v = x.map(Double.init)
        }
        guard !v.isEmpty, !v.contains(where: \.isNaN) else { return false }
        let pairs = zip(v, v.dropFirst())
        return pairs.allSatisfy { $0 < $1 } || pairs.allSatisfy { $0 > $1 }
    }
}
