import Foundation

/// Facts about the code, toolchain and machine behind a result, written as `/meta` attributes.
public struct Provenance: Sendable {
    /// `git rev-parse HEAD` of the checkout, or "unknown".
    public var gitCommit: String
    /// Whether tracked files differ from that commit (false when unknown).
    public var gitDirty: Bool
    /// The Swift compiler that built this code ("6.3").
    public var swiftVersion: String
    /// OpenBLAS's build configuration.
    public var openBLASConfig: String
    /// The CPU kernel OpenBLAS selected.
    public var openBLASCore: String
    /// OpenBLAS threads in use.
    public var blasThreads: Int
    /// The HDF5 library version.
    public var hdf5Version: String
    /// The machine's host name.
    public var host: String
    /// The operating system and CPU architecture.
    public var os: String

    /// Collects the facts now; `repository` is the checkout to ask git about (nil: none).
    public static func collect(repository: String?) -> Provenance {
        let commit = repository.flatMap { git(["rev-parse", "HEAD"], in: $0) } ?? ""
        let status = repository.flatMap { git(["status", "--porcelain", "--untracked-files=no"], in: $0) } ?? ""
        return Provenance(
            gitCommit: commit.isEmpty ? "unknown" : commit,
            gitDirty: !commit.isEmpty && !status.isEmpty,
            swiftVersion: compilerVersion,
            openBLASConfig: BLASRuntime.configuration,
            openBLASCore: BLASRuntime.coreName,
            blasThreads: BLASRuntime.threads,
            hdf5Version: HDF5Library.versionString,
            host: ProcessInfo.processInfo.hostName,
            os: "\(operatingSystem) (\(architecture))")
    }

    /// The `/meta` attributes: git_commit, git_dirty (0/1), swift_version, openblas_config,
    /// openblas_core, blas_threads, hdf5_version, host, os, start_time and end_time (ISO 8601, UTC).
    public func attributes(startTime: Date, endTime: Date) -> [String: AttributeValue] {
        let iso = ISO8601DateFormatter()
        return [
            "git_commit": .string(gitCommit),
            "git_dirty": .int(gitDirty ? 1 : 0),
            "swift_version": .string(swiftVersion),
            "openblas_config": .string(openBLASConfig),
            "openblas_core": .string(openBLASCore),
            "blas_threads": .int(Int64(blasThreads)),
            "hdf5_version": .string(hdf5Version),
            "host": .string(host),
            "os": .string(os),
            "start_time": .string(iso.string(from: startTime)),
            "end_time": .string(iso.string(from: endTime)),
        ]
    }

    /// The trimmed standard output of `git <arguments>` run in `directory`, or nil if git is
    /// missing or fails (not a checkout, ...).
    private static func git(_ arguments: [String], in directory: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The compiler's version, known at compile time.
    private static var compilerVersion: String {
        #if compiler(>=7.0)
        "7.0 or later"
        #elseif compiler(>=6.5)
        "6.5"
        #elseif compiler(>=6.4)
        "6.4"
        #elseif compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #elseif compiler(>=6.1)
        "6.1"
        #else
        "6.0"
        #endif
    }

    /// The operating system's name and version ("Debian GNU/Linux 12 (bookworm)", "macOS Version 14.4 (Build 23E214)").
    private static var operatingSystem: String {
        #if os(macOS)
        "macOS \(ProcessInfo.processInfo.operatingSystemVersionString)"
        #else
        ProcessInfo.processInfo.operatingSystemVersionString
        #endif
    }

    /// The CPU architecture this was built for.
    private static var architecture: String {
        #if arch(x86_64)
        "x86_64"
        #elseif arch(arm64)
        "arm64"
        #else
        "unknown architecture"
        #endif
    }
}
