import CHDF5
import Foundation

extension HDF5Document {
    /// Reads a whole HDF5 file: every group with its attributes, and every dataset of 32/64-bit
    /// floats or 32/64-bit signed integers. Attributes may be strings (fixed or variable length),
    /// integer or float scalars, or 1-D integer or float arrays. The attributes of dimension
    /// scales (`DIMENSION_LIST`, `REFERENCE_LIST`, and a scale's `CLASS` and `NAME`) are skipped.
    ///
    /// The file must be a regular file within `limits`; every dataset's rank, type and extent,
    /// and every attribute's size, are checked against `limits` and the file's size before
    /// anything is allocated or read (see ``HDF5ReadLimits``). With
    /// ``HDF5Library/isolatesReads`` on, the reading happens in a child process (see
    /// ``HDF5IsolatedRead``), so that a crash or hang inside the HDF5 library on a damaged file
    /// becomes an ``HDF5Error`` too.
    public static func read(from path: String, limits: HDF5ReadLimits = .standard) throws -> HDF5Document {
        if HDF5Library.isolatesReads { return try HDF5IsolatedRead.read(from: path, limits: limits) }
        return try readInProcess(from: path, limits: limits)
    }

    /// ``read(from:limits:)`` in this process.
    static func readInProcess(from path: String, limits: HDF5ReadLimits) throws -> HDF5Document {
        let fileSize: Int
        switch RegularFile.size(of: path) {
        case let .success(size): fileSize = size
        case .failure(.missing): throw HDF5Error.cannotOpen(file: path, reason: "there is no such file")
        case let .failure(refusal): throw HDF5Error.cannotOpen(file: path, reason: refusal.description)
        }
        guard fileSize <= limits.maxFileBytes else {
            throw HDF5Error.cannotOpen(file: path, reason: RegularFile.Refusal.tooLarge(bytes: fileSize, limit: limits.maxFileBytes).description)
        }
        return try HDF5Library.locked {
            let file = H5Fopen(path, ir_h5f_acc_rdonly(), hid_t(H5P_DEFAULT))
            guard file >= 0 else {
                throw HDF5Error.cannotOpen(file: path, reason: HDF5Library.lastError(or: "it is not an HDF5 file, or not readable"))
            }
            defer { H5Fclose(file) }
            var reader = Reader(file: path, fileSize: fileSize, limits: limits)
            try reader.readGroup(file, at: "/", depth: 0)
            reader.document.keepDeclaredScalesOnly()
            return reader.document
        }
    }
}

/// One file's reading: the document so far and the budget left.
private struct Reader {
    let file: String
    let fileSize: Int
    let limits: HDF5ReadLimits
    var document = HDF5Document()
    var objects = 0
    var totalBytes = 0

    init(file: String, fileSize: Int, limits: HDF5ReadLimits) {
        self.file = file
        self.fileSize = fileSize
        self.limits = limits
    }

    func refuse(_ objectPath: String, _ reason: String) -> HDF5Error {
        .readFailed(file: file, objectPath: objectPath, reason: reason)
    }

    /// Reads the group `id` at `path` and everything below it.
    mutating func readGroup(_ id: hid_t, at path: String, depth: Int) throws {
        guard depth <= limits.maxDepth else {
            throw refuse(path, "groups nest more than \(limits.maxDepth) levels deep (a link loop?)")
        }
        let attributes = try readAttributes(of: id, objectPath: path)
        if path != "/" || !attributes.isEmpty { document.groupAttributes[path] = attributes }
        func failure(_ objectPath: String, _ what: String) -> HDF5Error {
            refuse(objectPath, HDF5Library.lastError(or: what))
        }
        var info = H5G_info_t()
        guard H5Gget_info(id, &info) >= 0 else { throw failure(path, "cannot list the group") }
        guard info.nlinks <= hsize_t(limits.maxObjects - objects) else {
            throw refuse(path, "the group claims \(info.nlinks) links, more than the \(limits.maxObjects) objects a file may hold here")
        }
        for index in 0..<info.nlinks {
            let length = H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, hid_t(H5P_DEFAULT))
            guard length >= 0 else { throw failure(path, "cannot read the name of link \(index)") }
            guard length > 0, length <= limits.maxNameBytes else {
                throw refuse(path, "link \(index) has a name of \(length) bytes (1…\(limits.maxNameBytes) accepted)")
            }
            var bytes = [CChar](repeating: 0, count: length + 1)
            guard H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, &bytes, bytes.count, hid_t(H5P_DEFAULT)) == length else {
                throw failure(path, "cannot read the name of link \(index)")
            }
            let name = String(decoding: bytes.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard !name.contains("/"), name != ".", name != ".." else { throw refuse(path, "link \(index) has the invalid name \"\(name)\"") }
            let child = path == "/" ? "/\(name)" : "\(path)/\(name)"
            objects += 1
            guard objects <= limits.maxObjects else { throw refuse(child, "the file holds more than \(limits.maxObjects) objects") }
            guard document.groupAttributes[child] == nil, document.datasets[child] == nil else { throw refuse(child, "the name appears twice") }
            let object = H5Oopen(id, name, hid_t(H5P_DEFAULT))
            guard object >= 0 else { throw failure(child, "cannot open the object") }
            defer { H5Oclose(object) }
            switch H5Iget_type(object) {
            case H5I_GROUP: try readGroup(object, at: child, depth: depth + 1)
            case H5I_DATASET: document.datasets[child] = try readDataset(object, at: child)
            default: continue  // named datatypes: nothing this suite writes
            }
        }
    }

    /// Reads one dataset and its attributes, after checking its rank, type and extent.
    mutating func readDataset(_ id: hid_t, at path: String) throws -> HDF5Dataset {
        let type = H5Dget_type(id)
        defer { if type >= 0 { H5Tclose(type) } }
        let space = H5Dget_space(id)
        defer { if space >= 0 { H5Sclose(space) } }
        guard type >= 0, space >= 0 else { throw refuse(path, HDF5Library.lastError(or: "cannot read its type or shape")) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        guard rank >= 0 else { throw refuse(path, HDF5Library.lastError(or: "cannot read its shape")) }
        guard rank <= limits.maxRank else { throw refuse(path, "it has rank \(rank), more than the \(limits.maxRank) accepted") }
        var dims = [hsize_t](repeating: 0, count: rank)
        guard H5Sget_simple_extent_dims(space, &dims, nil) == Int32(rank) else {
            throw refuse(path, HDF5Library.lastError(or: "cannot read its extent"))
        }

        let memoryType: hid_t, elementSize: Int
        switch (H5Tget_class(type), H5Tget_size(type), H5Tget_sign(type)) {
        case (H5T_FLOAT, 4, _): (memoryType, elementSize) = (ir_h5t_native_float(), 4)
        case (H5T_FLOAT, 8, _): (memoryType, elementSize) = (ir_h5t_native_double(), 8)
        case (H5T_INTEGER, 4, H5T_SGN_2): (memoryType, elementSize) = (ir_h5t_native_int32(), 4)
        case (H5T_INTEGER, 8, H5T_SGN_2): (memoryType, elementSize) = (ir_h5t_native_int64(), 8)
        default:
            throw HDF5Error.wrongType(file: file, objectPath: path, expected: "a dataset of Float, Double, Int32 or Int64",
                                      found: Self.describe(type))
        }
        // The extent, checked without overflow against the limits and against what the file can hold.
        var count = 1
        for d in dims {
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(clamping: d))
            guard !overflow, d <= hsize_t(Int.max), product <= limits.maxDatasetBytes / elementSize else {
                throw refuse(path, "its extent \(dims) is larger than the \(limits.maxDatasetBytes) bytes a dataset may decode to")
            }
            count = product
        }
        let points = H5Sget_simple_extent_npoints(space)
        guard points >= 0, Int(points) == (H5Sget_simple_extent_type(space) == H5S_NULL ? 0 : count) else {
            throw refuse(path, "its dataspace is inconsistent (\(points) points for extent \(dims))")
        }
        if H5Sget_simple_extent_type(space) == H5S_NULL { count = 0 }
        let bytes = count * elementSize
        if bytes > 0 {
            let stored = Int(clamping: H5Dget_storage_size(id))
            guard stored > 0, stored <= fileSize, bytes <= limits.maxExpansion * stored + limits.expansionSlack else {
                throw refuse(path, "its extent \(dims) (\(bytes) bytes) cannot come from the \(stored) bytes it occupies in a file of \(fileSize)")
            }
        }
        totalBytes += bytes
        guard totalBytes <= limits.maxTotalBytes else {
            throw refuse(path, "the datasets decode to more than the \(limits.maxTotalBytes) bytes a file may hold here")
        }

        func values<T>(_: T.Type) throws -> [T] {
            try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0 {
                    guard H5Dread(id, memoryType, ir_h5s_all(), ir_h5s_all(), hid_t(H5P_DEFAULT), buffer.baseAddress) >= 0 else {
                        throw refuse(path, HDF5Library.lastError(or: "cannot read its values"))
                    }
                }
                initialized = count
            }
        }
        let data: DatasetValues
        switch elementSize {
        case 4 where H5Tget_class(type) == H5T_FLOAT: data = .float(try values(Float.self))
        case 8 where H5Tget_class(type) == H5T_FLOAT: data = .double(try values(Double.self))
        case 4: data = .int32(try values(Int32.self))
        default: data = .int64(try values(Int64.self))
        }
        let shape = H5Sget_simple_extent_type(space) == H5S_NULL ? [0] : dims.map { Int($0) }
        if rank == 1, H5Aexists(id, "DIMENSION_LIST") > 0 {
            for axis in try dimensionScales(of: id, at: path) { document.dimensionScales[axis, default: []].append(path) }
        }
        return HDF5Dataset(shape: shape, values: data, attributes: try readAttributes(of: id, objectPath: path))
    }

    /// The paths of the dimension scales attached to dimension 0 of the dataset `id`.
    func dimensionScales(of id: hid_t, at path: String) throws -> [String] {
        final class Found { var paths: [String] = []; var bad = false; let limit: Int; init(_ l: Int) { limit = l } }
        let found = Found(limits.maxNameBytes * limits.maxDepth)
        let status = withExtendedLifetime(found) {
            H5DSiterate_scales(id, 0, nil, { _, _, scale, context in
                let found = Unmanaged<Found>.fromOpaque(context!).takeUnretainedValue()
                let length = H5Iget_name(scale, nil, 0)
                guard length > 0, length <= found.limit, found.paths.count < 100 else { found.bad = true; return 1 }
                var bytes = [CChar](repeating: 0, count: length + 1)
                guard H5Iget_name(scale, &bytes, bytes.count) == length else { found.bad = true; return 1 }
                found.paths.append(String(decoding: bytes.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self))
                return 0
            }, Unmanaged.passUnretained(found).toOpaque())
        }
        guard status >= 0, !found.bad else { throw refuse(path, HDF5Library.lastError(or: "cannot read its dimension scales")) }
        return found.paths
    }

    /// Reads every attribute of the object `id`.
    func readAttributes(of id: hid_t, objectPath: String) throws -> [String: AttributeValue] {
        final class Names { var list: [String] = []; var tooLong = false; let limit: Int; init(_ l: Int) { limit = l } }
        let names = Names(limits.maxNameBytes)
        var index: hsize_t = 0
        let status = withExtendedLifetime(names) {
            H5Aiterate2(id, H5_INDEX_NAME, H5_ITER_INC, &index, { _, name, _, context in
                let names = Unmanaged<Names>.fromOpaque(context!).takeUnretainedValue()
                guard let name, strnlen(name, names.limit + 1) <= names.limit else { names.tooLong = true; return 1 }
                names.list.append(String(cString: name))
                return names.list.count > 10_000 ? 1 : 0
            }, Unmanaged.passUnretained(names).toOpaque())
        }
        guard status >= 0 else { throw refuse(objectPath, HDF5Library.lastError(or: "cannot list its attributes")) }
        guard !names.tooLong, names.list.count <= 10_000 else {
            throw refuse(objectPath, "its attribute names are too long or too many (a damaged header?)")
        }
        var attributes: [String: AttributeValue] = [:]
        for name in names.list where !HDF5Document.dimensionListAttributes.contains(name) {
            attributes[name] = try readAttribute(name, of: id, objectPath: objectPath)
        }
        // A dimension scale's CLASS and NAME describe the file's layout, not the data.
        if attributes["CLASS"] == .string("DIMENSION_SCALE") {
            attributes["CLASS"] = nil
            attributes["NAME"] = nil
        }
        return attributes
    }

    /// Reads attribute `name` of the object `id`, after checking its shape and size.
    func readAttribute(_ name: String, of id: hid_t, objectPath: String) throws -> AttributeValue {
        let attributePath = "\(objectPath) (attribute \(name))"
        func failure() -> HDF5Error { refuse(attributePath, HDF5Library.lastError(or: "cannot read the attribute")) }
        let attribute = H5Aopen(id, name, hid_t(H5P_DEFAULT))
        guard attribute >= 0 else { throw failure() }
        defer { H5Aclose(attribute) }
        let type = H5Aget_type(attribute)
        defer { if type >= 0 { H5Tclose(type) } }
        let space = H5Aget_space(attribute)
        defer { if space >= 0 { H5Sclose(space) } }
        guard type >= 0, space >= 0 else { throw failure() }
        let rank = H5Sget_simple_extent_ndims(space)
        let points = H5Sget_simple_extent_npoints(space)
        let isNull = H5Sget_simple_extent_type(space) == H5S_NULL
        guard rank >= 0, points >= 0 else { throw failure() }
        let count = Int(points)
        let typeSize = H5Tget_size(type)
        guard count * max(typeSize, 1) <= limits.maxAttributeBytes, count <= limits.maxAttributeBytes, typeSize <= limits.maxAttributeBytes else {
            throw refuse(attributePath, "it claims \(count) values of \(typeSize) bytes, more than the \(limits.maxAttributeBytes) bytes an attribute holds")
        }
        let wrongShape = HDF5Error.wrongType(file: file, objectPath: attributePath,
                                             expected: "a string, an integer or float scalar, or a 1-D integer or float array",
                                             found: "\(rank)-D \(Self.describe(type))\(isNull ? " with no values" : "")")
        func values<T>(_ memoryType: hid_t, _: T.Type) throws -> [T] {
            try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                guard count == 0 || H5Aread(attribute, memoryType, buffer.baseAddress) >= 0 else { throw failure() }
                initialized = count
            }
        }
        let typeClass = H5Tget_class(type)
        switch (typeClass, rank) {
        case (H5T_STRING, 0) where count == 1 && H5Tis_variable_str(type) > 0:
            let memoryType = HDF5Document.variableLengthUTF8()
            defer { H5Tclose(memoryType) }
            H5Tset_cset(memoryType, H5Tget_cset(type))
            var chars = [UnsafeMutablePointer<CChar>?](repeating: nil, count: 1)
            guard H5Aread(attribute, memoryType, &chars) >= 0 else { throw failure() }
            defer { H5free_memory(chars[0]) }
            guard let string = chars[0] else { return .string("") }
            let length = strnlen(string, limits.maxStringBytes + 1)
            guard length <= limits.maxStringBytes else {
                throw refuse(attributePath, "the string is longer than the \(limits.maxStringBytes) bytes accepted")
            }
            return .string(String(decoding: UnsafeRawBufferPointer(start: string, count: length), as: UTF8.self))
        case (H5T_STRING, 0) where count == 1 && H5Tis_variable_str(type) == 0 && typeSize >= 1:
            var bytes = [UInt8](repeating: 0, count: typeSize)
            guard H5Aread(attribute, type, &bytes) >= 0 else { throw failure() }
            var text = bytes.prefix { $0 != 0 }[...]
            if H5Tget_strpad(type) == H5T_STR_SPACEPAD { while text.last == 0x20 { text = text.dropLast() } }
            return .string(String(decoding: text, as: UTF8.self))
        case (H5T_INTEGER, 0) where count == 1: return .int(try values(ir_h5t_native_int64(), Int64.self)[0])
        case (H5T_INTEGER, 1): return .ints(try values(ir_h5t_native_int64(), Int64.self))
        case (H5T_FLOAT, 0) where count == 1: return .double(try values(ir_h5t_native_double(), Double.self)[0])
        case (H5T_FLOAT, 1): return .doubles(try values(ir_h5t_native_double(), Double.self))
        default: throw wrongShape
        }
    }

    /// A short description of an HDF5 type ("unsigned 1-byte integer").
    static func describe(_ type: hid_t) -> String {
        let size = H5Tget_size(type)
        switch H5Tget_class(type) {
        case H5T_INTEGER: return "\(H5Tget_sign(type) == H5T_SGN_NONE ? "unsigned" : "signed") \(size)-byte integer"
        case H5T_FLOAT: return "\(size)-byte float"
        case H5T_STRING: return "string"
        case H5T_COMPOUND: return "compound type"
        case H5T_ENUM: return "enum (e.g. a boolean)"
        default: return "HDF5 type class \(H5Tget_class(type).rawValue)"
        }
    }
}
