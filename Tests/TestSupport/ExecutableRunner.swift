import Foundation

/// Runs one of the suite's executables (built next to the test bundle, or in `$IMPLICIT_REG_BIN`).
public enum ExecutableRunner {
    /// Exit status, stdout and stderr of a finished run.
    public struct Outcome: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The folder holding the built products.
    public static var binDirectory: String {
        if let dir = ProcessInfo.processInfo.environment["IMPLICIT_REG_BIN"] { return dir }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        // On Linux the runner is <bin>/implicit-regPackageTests.xctest; elsewhere it may be nested.
        while url.pathComponents.count > 1 {
            url.deleteLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("random-labels").path) {
                return url.path
            }
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
    }

    /// The checkout holding Package.swift (this file is Tests/TestSupport/ExecutableRunner.swift).
    public static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// Runs `name` with `arguments` from the repository root and waits.
    public static func run(_ name: String, _ arguments: [String]) throws -> Outcome {
        try run(path: "\(binDirectory)/\(name)", arguments)
    }

    /// Runs the program at `path` with `arguments` from the repository root and waits.
    public static func run(path: String, _ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot)
        var environment = ProcessInfo.processInfo.environment
        environment["IMPLICIT_REG_ROOT"] = repositoryRoot
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so a full pipe cannot block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus,
                       stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A fresh temporary directory.
    public static func temporaryDirectory(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ir-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
