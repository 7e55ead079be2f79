import Foundation
import ImplicitRegCore

/// One timed measurement, printed as one JSON line (snake_case keys) for the orchestrator:
///
///     {"workload":"mlp-epoch","implementation":"core","precision":"float32","batch":128,
///      "samples_ms":[…],"ms":…,"flops":…,"flop_formula":"…","gflops":…,"cpu_over_wall":1.0,…}
///
/// `ms` is the median of `samples_ms` (one sample per timed epoch or repetition); `gflops` is
/// `flops / ms` with `flops` the nominal count of one sample given by `flop_formula`.
/// `cpu_over_wall` is process CPU time over wall time across the timed samples: about 1 for a
/// single-threaded run, which is how the orchestrator checks that nothing used a second core.
struct Measurement: Encodable {
    var workload: String
    var implementation = "core"
    var precision: String
    var n: Int? = nil
    var batch: Int? = nil
    var examples: Int? = nil
    var hidden: [Int]? = nil
    var momentum: Double? = nil
    var warmup: Int
    var samplesMs: [Double]
    var ms: Double
    var flops: Double
    var flopFormula: String
    var gflops: Double
    var cpuOverWall: Double
    var threads: Int
    var openblasCore: String
    var openblasCoretypeEnv: String?
    var note: String? = nil

    /// A measurement of `timing`, filling in the derived fields and the BLAS facts.
    init(workload: String, precision: String, timing: Timing, warmup: Int,
         flops: Double, flopFormula: String) {
        self.workload = workload
        self.precision = precision
        self.warmup = warmup
        samplesMs = timing.samplesMs
        ms = median(timing.samplesMs)
        self.flops = flops
        self.flopFormula = flopFormula
        gflops = flops / (ms * 1e6)
        cpuOverWall = timing.cpuOverWall
        threads = BLASRuntime.threads
        openblasCore = BLASRuntime.coreName
        openblasCoretypeEnv = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"]
    }
}

/// Prints `value` as one line of JSON on standard output.
func emit<V: Encodable>(_ value: V) throws {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}

/// The median (mean of the two middle values for an even count).
func median(_ values: [Double]) -> Double {
    precondition(!values.isEmpty, "median of no values")
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
