import ArgumentParser
import Foundation
import ImplicitRegCore

/// The root command: subcommands only.
struct ImplicitRegBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "implicit-reg-bench",
        abstract: "Time the core's BLAS wrapper, training epoch and Double workloads (one JSON line per run).",
        discussion: """
            Every subcommand warms up, then times and prints one JSON object on a single line of \
            standard output. `make bench` (bench/bench.py) runs these alternately with the NumPy, JAX \
            and PyTorch references; run one by hand to look at a single workload.
            """,
        subcommands: [Info.self, GemmBenchmark.self, MLPEpochBenchmark.self, CNNEpochBenchmark.self,
                      MatrixFactorizationStep.self, MLPHessianVectorProduct.self])
}

/// Options every timed subcommand shares.
struct CommonBenchOptions: ParsableArguments {
    @Option(help: "OpenBLAS threads (the benchmark's references run with one).")
    var threads = 1

    @Option(help: "Seed of the project PRNG streams that draw data and initial weights.")
    var seed: UInt64 = 0

    /// Applies the thread count; call before any BLAS work.
    func apply() {
        BLASRuntime.setThreads(threads)
    }
}

/// `implicit-reg-bench info`: the facts the orchestrator records as provenance.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print provenance as JSON: OpenBLAS kernel and configuration, git commit, Swift version, host.")

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let provenance = Provenance.collect(repository: FileManager.default.currentDirectoryPath)
        let info = BenchInfo(
            gitCommit: provenance.gitCommit, gitDirty: provenance.gitDirty,
            swiftVersion: provenance.swiftVersion, openblasConfig: provenance.openBLASConfig,
            openblasCore: provenance.openBLASCore, blasThreads: provenance.blasThreads,
            openblasCoretypeEnv: environment["OPENBLAS_CORETYPE"], hdf5Version: provenance.hdf5Version,
            host: provenance.host, os: provenance.os)
        try emit(info)
    }
}

/// The JSON printed by `info`.
struct BenchInfo: Encodable {
    var gitCommit: String
    var gitDirty: Bool
    var swiftVersion: String
    var openblasConfig: String
    var openblasCore: String
    var blasThreads: Int
    var openblasCoretypeEnv: String?
    var hdf5Version: String
    var host: String
    var os: String
}
