import CHDF5
import Foundation

extension HDF5Document {
    /// Writes the document to `path` atomically: the file is built in memory (HDF5's core
    /// driver), written to a temporary file in the same directory (created if missing) whose name
    /// only this suite makes (``temporaryName(for:)``), and renamed over `path`. On any error —
    /// a full disk included — the temporary file is removed, a file already at `path` is left as
    /// it was, and the HDF5 library holds no half-written file (which it would otherwise try to
    /// flush again at exit).
    ///
    /// The bytes depend only on the content: object timestamps are off, groups, datasets,
    /// attributes and dimension scales (``resolvedDimensionScales()``) are written in sorted order. Datasets with values are chunked (at most ~1 MiB
    /// per chunk along the first dimension) with shuffle and gzip level 4.
    public func write(to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw HDF5Error.cannotCreate(file: path, reason: "cannot create its directory \(directory) (\(error.localizedDescription))")
            }
        }
        let image = try HDF5Library.locked { try fileImage(reportingAs: path) }
        let temporary = Self.temporaryName(for: path)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw HDF5Error.cannotCreate(file: path, reason: "cannot create \(temporary) (\(String(cString: strerror(errno))))")
        }
        func fail(_ what: String) -> HDF5Error {
            let reason = "\(what) (\(String(cString: strerror(errno))))"
            close(fd)
            unlink(temporary)
            return HDF5Error.cannotCreate(file: path, reason: reason)
        }
        var written = 0
        while written < image.count {
            let n = image.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail("writing \(temporary) failed")
            }
            written += n
        }
        guard close(fd) == 0 else {
            unlink(temporary)
            throw HDF5Error.cannotCreate(file: path, reason: "closing \(temporary) failed (\(String(cString: strerror(errno))))")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw HDF5Error.cannotCreate(file: path, reason: "cannot rename \(temporary) to it (\(reason))")
        }
    }

    /// Marks the names of the suite's temporary files: `.<name>.implicit-reg-tmp-<pid>`.
    public static let temporaryMarker = ".implicit-reg-tmp-"

    /// The temporary name `path` is written under: `<dir>/.<name>.implicit-reg-tmp-<pid>` — hidden,
    /// and in a form no other program makes, so that cleaning up after a killed run
    /// (``staleTemporaryPID(_:)``) can never remove a file the suite did not write.
    public static func temporaryName(for path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        return (directory.isEmpty ? "" : directory + "/") + "." + name + temporaryMarker + String(getpid())
    }

    /// The pid in a file name made by ``temporaryName(for:)``, or nil for any other name.
    public static func temporaryPID(_ name: String) -> Int32? {
        guard name.hasPrefix("."), let range = name.range(of: temporaryMarker, options: .backwards),
              range.lowerBound > name.index(after: name.startIndex) else { return nil }
        let digits = name[range.upperBound...]
        guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
              let pid = Int32(digits), pid > 0 else { return nil }
        return pid
    }

    /// The file's bytes, built in memory; errors name `path`.
    private func fileImage(reportingAs path: String) throws -> [UInt8] {
        let groups = try allGroups(file: path)
        let fapl = H5Pcreate(ir_h5p_file_access())
        defer { H5Pclose(fapl) }
        guard fapl >= 0, H5Pset_fapl_core(fapl, 1 << 20, false) >= 0 else {
            throw HDF5Error.cannotCreate(file: path, reason: HDF5Library.lastError(or: "cannot set up an in-memory file"))
        }
        let file = H5Fcreate(path, ir_h5f_acc_trunc(), hid_t(H5P_DEFAULT), fapl)
        guard file >= 0 else {
            throw HDF5Error.cannotCreate(file: path, reason: HDF5Library.lastError(or: "cannot create it in memory"))
        }
        var open = true
        defer { if open { H5Fclose(file) } }

        let gcpl = H5Pcreate(ir_h5p_group_create())
        defer { H5Pclose(gcpl) }
        H5Pset_obj_track_times(gcpl, false)
        for group in groups {
            let id = group == "/" ? H5Gopen2(file, "/", hid_t(H5P_DEFAULT))
                                  : H5Gcreate2(file, group, hid_t(H5P_DEFAULT), gcpl, hid_t(H5P_DEFAULT))
            guard id >= 0 else {
                throw HDF5Error.writeFailed(file: path, objectPath: group, reason: HDF5Library.lastError(or: "cannot create the group"))
            }
            defer { H5Gclose(id) }
            try Self.writeAttributes(groupAttributes[group] ?? [:], on: id, objectPath: group, file: path)
        }
        for (datasetPath, dataset) in datasets.sorted(by: { $0.key < $1.key }) {
            try Self.writeDataset(dataset, at: datasetPath, in: file, file: path)
        }
        try writeDimensionScales(in: file, reportingAs: path)
        guard H5Fflush(file, H5F_SCOPE_GLOBAL) >= 0 else {
            throw HDF5Error.writeFailed(file: path, objectPath: "/", reason: HDF5Library.lastError(or: "flushing the file failed"))
        }
        let size = H5Fget_file_image(file, nil, 0)
        guard size > 0 else {
            throw HDF5Error.writeFailed(file: path, objectPath: "/", reason: HDF5Library.lastError(or: "cannot get the file's image"))
        }
        var image = [UInt8](repeating: 0, count: size)
        guard H5Fget_file_image(file, &image, size) == size else {
            throw HDF5Error.writeFailed(file: path, objectPath: "/", reason: HDF5Library.lastError(or: "cannot get the file's image"))
        }
        open = false
        guard H5Fclose(file) >= 0 else {
            throw HDF5Error.writeFailed(file: path, objectPath: "/", reason: HDF5Library.lastError(or: "closing the file failed"))
        }
        return image
    }

    /// Every group to create, sorted so that parents come before children: each key of
    /// `groupAttributes`, the parent of each dataset, and their ancestors. Checks every path.
    private func allGroups(file: String) throws -> [String] {
        var groups: Set<String> = ["/"]
        func add(_ group: String) {
            var group = group
            while groups.insert(group).inserted { group = Self.parent(of: group) }
        }
        for group in groupAttributes.keys {
            try Self.validate(group, file: file)
            add(group)
        }
        for path in datasets.keys {
            try Self.validate(path, file: file)
            add(Self.parent(of: path))
        }
        return groups.sorted()
    }

    /// Throws unless `path` is "/" or an absolute path of non-empty names other than "." and "..".
    private static func validate(_ path: String, file: String) throws {
        let names = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard path == "/" || (path.hasPrefix("/") && names.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            throw HDF5Error.invalidObject(file: file, objectPath: path,
                                          reason: "object paths must be absolute, like \"/curves/train_loss\", with no empty, \".\" or \"..\" parts")
        }
    }

    /// Creates and fills one dataset, then its attributes.
    private static func writeDataset(_ dataset: HDF5Dataset, at path: String, in location: hid_t, file name: String) throws {
        let count = dataset.shape.reduce(1, *)
        guard dataset.shape.allSatisfy({ $0 >= 0 }), count == dataset.values.count else {
            throw HDF5Error.invalidObject(file: name, objectPath: path,
                                          reason: "shape \(dataset.shape) holds \(count) values but \(dataset.values.count) were given")
        }
        func failure(_ what: String) -> HDF5Error {
            HDF5Error.writeFailed(file: name, objectPath: path, reason: HDF5Library.lastError(or: what))
        }
        let dims = dataset.shape.map { hsize_t($0) }
        let space = dims.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(dims.count), dims, nil)
        guard space >= 0 else { throw failure("cannot create its dataspace") }
        defer { H5Sclose(space) }

        let dcpl = H5Pcreate(ir_h5p_dataset_create())
        defer { H5Pclose(dcpl) }
        H5Pset_obj_track_times(dcpl, false)
        let type = dataset.values.nativeType
        if dims.isEmpty {
            H5Pset_layout(dcpl, H5D_COMPACT)
        } else if count > 0 {
            let rowBytes = H5Tget_size(type) * dataset.shape.dropFirst().reduce(1, *)
            let rows = max(1, min(dataset.shape[0], (1 << 20) / max(1, rowBytes)))
            let chunk = [hsize_t(rows)] + dims.dropFirst()
            guard H5Pset_chunk(dcpl, Int32(chunk.count), chunk) >= 0, H5Pset_shuffle(dcpl) >= 0,
                  H5Pset_deflate(dcpl, 4) >= 0 else { throw failure("cannot set chunking and compression") }
        }

        let id = H5Dcreate2(location, path, type, space, hid_t(H5P_DEFAULT), dcpl, hid_t(H5P_DEFAULT))
        guard id >= 0 else { throw failure("cannot create the dataset") }
        defer { H5Dclose(id) }
        if count > 0 {
            let status = dataset.values.withUnsafeRawPointer {
                H5Dwrite(id, type, ir_h5s_all(), ir_h5s_all(), hid_t(H5P_DEFAULT), $0)
            }
            guard status >= 0 else { throw failure("cannot write its values") }
        }
        try writeAttributes(dataset.attributes, on: id, objectPath: path, file: name)
    }

    /// Writes `attributes` on the object `id`, in name order.
    private static func writeAttributes(_ attributes: [String: AttributeValue], on id: hid_t,
                                        objectPath: String, file: String) throws {
        func tooLarge(_ name: String, _ count: Int) -> HDF5Error {
            .invalidObject(file: file, objectPath: "\(objectPath) (attribute \(name))",
                           reason: "\(count) values are too many for an attribute (at most \(maxAttributeArrayCount)); store them as a dataset")
        }
        for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
            if case let .doubles(v) = value, v.count > maxAttributeArrayCount { throw tooLarge(name, v.count) }
            if case let .ints(v) = value, v.count > maxAttributeArrayCount { throw tooLarge(name, v.count) }
            func put(_ type: hid_t, _ count: Int?, _ buffer: UnsafeRawPointer?) throws {
                var dims = [hsize_t(count ?? 0)]
                let space = count == nil ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dims, nil)
                defer { H5Sclose(space) }
                let attribute = H5Acreate2(id, name, type, space, hid_t(H5P_DEFAULT), hid_t(H5P_DEFAULT))
                guard attribute >= 0 else {
                    throw HDF5Error.writeFailed(file: file, objectPath: "\(objectPath) (attribute \(name))",
                                                reason: HDF5Library.lastError(or: "cannot create the attribute"))
                }
                defer { H5Aclose(attribute) }
                guard count == 0 || H5Awrite(attribute, type, buffer) >= 0 else {
                    throw HDF5Error.writeFailed(file: file, objectPath: "\(objectPath) (attribute \(name))",
                                                reason: HDF5Library.lastError(or: "cannot write the attribute"))
                }
            }
            switch value {
            case let .string(s):
                let type = variableLengthUTF8()
                defer { H5Tclose(type) }
                try s.withCString { chars in
                    var pointer: UnsafePointer<CChar>? = chars
                    try put(type, nil, &pointer)
                }
            case var .int(v): try put(ir_h5t_native_int64(), nil, &v)
            case var .double(v): try put(ir_h5t_native_double(), nil, &v)
            case let .ints(v): try v.withUnsafeBytes { try put(ir_h5t_native_int64(), v.count, $0.baseAddress) }
            case let .doubles(v): try v.withUnsafeBytes { try put(ir_h5t_native_double(), v.count, $0.baseAddress) }
            }
        }
    }

    /// The longest numeric array attribute: HDF5's default file format keeps attributes in the
    /// object header, which holds at most 64 KiB.
    static let maxAttributeArrayCount = 8000

    /// A new variable-length UTF-8 string type (the caller closes it).
    static func variableLengthUTF8() -> hid_t {
        let type = H5Tcopy(ir_h5t_c_s1())
        H5Tset_size(type, ir_h5t_variable())
        H5Tset_cset(type, H5T_CSET_UTF8)
        return type
    }
}

extension DatasetValues {
    /// The native HDF5 type of the values.
    var nativeType: hid_t {
        switch self {
        case .float: ir_h5t_native_float()
        case .double: ir_h5t_native_double()
        case .int32: ir_h5t_native_int32()
        case .int64: ir_h5t_native_int64()
        }
    }

    /// Calls `body` with a pointer to the values.
    func withUnsafeRawPointer<R>(_ body: (UnsafeRawPointer?) -> R) -> R {
        switch self {
        case let .float(v): v.withUnsafeBytes { body($0.baseAddress) }
        case let .double(v): v.withUnsafeBytes { body($0.baseAddress) }
        case let .int32(v): v.withUnsafeBytes { body($0.baseAddress) }
        case let .int64(v): v.withUnsafeBytes { body($0.baseAddress) }
        }
    }
}
