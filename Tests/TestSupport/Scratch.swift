import Foundation

/// A scratch folder removed when the value goes away.
public final class Scratch {
    public let path: String
    public init(_ label: String) throws { path = try ExecutableRunner.temporaryDirectory(label) }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let file = "\(path)/\(name)"
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
}

