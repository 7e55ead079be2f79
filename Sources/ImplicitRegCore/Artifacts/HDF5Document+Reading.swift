import CHDF5
import Foundation

extension HDF5Document {
    /// Reads a whole HDF5 file: every group with its attributes, and every dataset of 32/64-bit
    /// floats or 32/64-bit signed integers. Attributes may be strings (fixed or variable length),
    /// integer or float scalars, or 1-D integer or float arrays.
    public static func read(from path: String) throws -> HDF5Document {
        guard FileManager.default.fileExists(atPath: path) else {
            throw HDF5Error.cannotOpen(file: path, reason: "there is no such file")
        }
        return try HDF5Library.locked {
            let file = H5Fopen(path, ir_h5f_acc_rdonly(), hid_t(H5P_DEFAULT))
            guard file >= 0 else {
                throw HDF5Error.cannotOpen(file: path, reason: HDF5Library.lastError(or: "it is not an HDF5 file, or not readable"))
            }
            defer { H5Fclose(file) }
            var document = HDF5Document()
            try document.readGroup(file, at: "/", file: path)
            return document
        }
    }

    /// Reads the group `id` at `path` and everything below it.
    private mutating func readGroup(_ id: hid_t, at path: String, file: String) throws {
        let attributes = try Self.readAttributes(of: id, objectPath: path, file: file)
        if path != "/" || !attributes.isEmpty { groupAttributes[path] = attributes }
        func failure(_ objectPath: String, _ what: String) -> HDF5Error {
            HDF5Error.readFailed(file: file, objectPath: objectPath, reason: HDF5Library.lastError(or: what))
        }
        var info = H5G_info_t()
        guard H5Gget_info(id, &info) >= 0 else { throw failure(path, "cannot list the group") }
        for index in 0..<info.nlinks {
            let length = H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, hid_t(H5P_DEFAULT))
            guard length >= 0 else { throw failure(path, "cannot read the name of link \(index)") }
            var bytes = [CChar](repeating: 0, count: length + 1)
            H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, &bytes, bytes.count, hid_t(H5P_DEFAULT))
            let name = String(decoding: bytes.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let child = path == "/" ? "/\(name)" : "\(path)/\(name)"
            let object = H5Oopen(id, name, hid_t(H5P_DEFAULT))
            guard object >= 0 else { throw failure(child, "cannot open the object") }
            defer { H5Oclose(object) }
            switch H5Iget_type(object) {
            case H5I_GROUP: try readGroup(object, at: child, file: file)
            case H5I_DATASET: datasets[child] = try Self.readDataset(object, at: child, file: file)
            default: continue  // named datatypes: nothing this suite writes
            }
        }
    }

    /// Reads one dataset and its attributes.
    private static func readDataset(_ id: hid_t, at path: String, file: String) throws -> HDF5Dataset {
        let type = H5Dget_type(id)
        defer { H5Tclose(type) }
        let space = H5Dget_space(id)
        defer { H5Sclose(space) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        guard type >= 0, space >= 0, rank >= 0 else {
            throw HDF5Error.readFailed(file: file, objectPath: path, reason: HDF5Library.lastError(or: "cannot read its type or shape"))
        }
        var dims = [hsize_t](repeating: 0, count: rank)
        H5Sget_simple_extent_dims(space, &dims, nil)
        let shape = dims.map { Int($0) }
        let count = shape.reduce(1, *)

        func values<T>(_ memoryType: hid_t, _: T.Type) throws -> [T] {
            try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0 {
                    guard H5Dread(id, memoryType, ir_h5s_all(), ir_h5s_all(), hid_t(H5P_DEFAULT), buffer.baseAddress) >= 0 else {
                        throw HDF5Error.readFailed(file: file, objectPath: path, reason: HDF5Library.lastError(or: "cannot read its values"))
                    }
                }
                initialized = count
            }
        }
        let data: DatasetValues
        switch (H5Tget_class(type), H5Tget_size(type), H5Tget_sign(type)) {
        case (H5T_FLOAT, 4, _): data = .float(try values(ir_h5t_native_float(), Float.self))
        case (H5T_FLOAT, 8, _): data = .double(try values(ir_h5t_native_double(), Double.self))
        case (H5T_INTEGER, 4, H5T_SGN_2): data = .int32(try values(ir_h5t_native_int32(), Int32.self))
        case (H5T_INTEGER, 8, H5T_SGN_2): data = .int64(try values(ir_h5t_native_int64(), Int64.self))
        default:
            throw HDF5Error.wrongType(file: file, objectPath: path, expected: "a dataset of Float, Double, Int32 or Int64",
                                      found: describe(type))
        }
        return HDF5Dataset(shape: shape, values: data, attributes: try readAttributes(of: id, objectPath: path, file: file))
    }

    /// Reads every attribute of the object `id`.
    private static func readAttributes(of id: hid_t, objectPath: String, file: String) throws -> [String: AttributeValue] {
        var names: [String] = []
        var index: hsize_t = 0
        let status = withUnsafeMutablePointer(to: &names) { pointer in
            H5Aiterate2(id, H5_INDEX_NAME, H5_ITER_INC, &index, { _, name, _, context in
                context!.assumingMemoryBound(to: [String].self).pointee.append(String(cString: name!))
                return 0
            }, pointer)
        }
        guard status >= 0 else {
            throw HDF5Error.readFailed(file: file, objectPath: objectPath, reason: HDF5Library.lastError(or: "cannot list its attributes"))
        }
        var attributes: [String: AttributeValue] = [:]
        for name in names {
            attributes[name] = try readAttribute(name, of: id, objectPath: objectPath, file: file)
        }
        return attributes
    }

    /// Reads attribute `name` of the object `id`.
    private static func readAttribute(_ name: String, of id: hid_t, objectPath: String, file: String) throws -> AttributeValue {
        let attributePath = "\(objectPath) (attribute \(name))"
        func failure() -> HDF5Error {
            HDF5Error.readFailed(file: file, objectPath: attributePath, reason: HDF5Library.lastError(or: "cannot read the attribute"))
        }
        let attribute = H5Aopen(id, name, hid_t(H5P_DEFAULT))
        guard attribute >= 0 else { throw failure() }
        defer { H5Aclose(attribute) }
        let type = H5Aget_type(attribute)
        defer { H5Tclose(type) }
        let space = H5Aget_space(attribute)
        defer { H5Sclose(space) }
        let rank = H5Sget_simple_extent_ndims(space)
        let count = Int(H5Sget_simple_extent_npoints(space))
        guard type >= 0, space >= 0, rank >= 0, count >= 0 else { throw failure() }

        func values<T>(_ memoryType: hid_t, _: T.Type) throws -> [T] {
            try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                guard count == 0 || H5Aread(attribute, memoryType, buffer.baseAddress) >= 0 else { throw failure() }
                initialized = count
            }
        }
        let typeClass = H5Tget_class(type)
        switch (typeClass, rank) {
        case (H5T_STRING, 0) where H5Tis_variable_str(type) > 0:
            let memoryType = HDF5Document.variableLengthUTF8()
            defer { H5Tclose(memoryType) }
            H5Tset_cset(memoryType, H5Tget_cset(type))
            var chars: UnsafeMutablePointer<CChar>?
            guard H5Aread(attribute, memoryType, &chars) >= 0 else { throw failure() }
            defer { H5free_memory(chars) }
            return .string(chars.map { String(cString: $0) } ?? "")
        case (H5T_STRING, 0):
            var bytes = [UInt8](repeating: 0, count: H5Tget_size(type))
            guard H5Aread(attribute, type, &bytes) >= 0 else { throw failure() }
            var text = bytes.prefix { $0 != 0 }[...]
            if H5Tget_strpad(type) == H5T_STR_SPACEPAD { while text.last == 0x20 { text = text.dropLast() } }
            return .string(String(decoding: text, as: UTF8.self))
        case (H5T_INTEGER, 0): return .int(try values(ir_h5t_native_int64(), Int64.self)[0])
        case (H5T_INTEGER, 1): return .ints(try values(ir_h5t_native_int64(), Int64.self))
        case (H5T_FLOAT, 0): return .double(try values(ir_h5t_native_double(), Double.self)[0])
        case (H5T_FLOAT, 1): return .doubles(try values(ir_h5t_native_double(), Double.self))
        default:
            throw HDF5Error.wrongType(file: file, objectPath: attributePath,
                                      expected: "a string, an integer or float scalar, or a 1-D integer or float array",
                                      found: "\(rank)-D \(describe(type))")
        }
    }

    /// A short description of an HDF5 type ("unsigned 1-byte integer").
    private static func describe(_ type: hid_t) -> String {
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
