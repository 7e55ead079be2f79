import ArgumentParser
import ImplicitRegCore

/// The element type of a BLAS benchmark.
enum Precision: String, ExpressibleByArgument, CaseIterable {
    case float, double
}

/// `implicit-reg-bench gemm`: C ← A·B for n×n matrices through the core's own BLAS wrapper
/// (`BLASScalar.gemm`, i.e. cblas_sgemm/cblas_dgemm row-major): the ceiling every other
/// workload is compared with.
struct GemmBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "Time n×n sgemm or dgemm through BLASScalar.gemm; prints the median of --reps products.",
        discussion: "FLOPs per product: 2n³ (n³ multiply-adds).")

    @Option(help: "float (sgemm) or double (dgemm).")
    var precision: Precision = .float

    @Option(help: "Matrix order n.")
    var n = 1024

    @Option(help: "Timed products (the median is reported).")
    var reps = 10

    @Option(help: "Untimed products first.")
    var warmup = 2

    @OptionGroup var common: CommonBenchOptions

    func validate() throws {
        guard n > 0, reps > 0, warmup >= 0 else { throw ValidationError("need n > 0, reps > 0 and warmup ≥ 0") }
    }

    func run() throws {
        common.apply()
        switch precision {
        case .float: try emit(measure(Float.self))
        case .double: try emit(measure(Double.self))
        }
    }

    private func measure<T: BLASScalar>(_: T.Type) -> Measurement {
        let a = Buffer<T>(SyntheticInputs.normals(n * n, stream: "bench-gemm-a", seed: common.seed))
        let b = Buffer<T>(SyntheticInputs.normals(n * n, stream: "bench-gemm-b", seed: common.seed))
        let c = Buffer<T>(capacity: n * n)
        let timing = Timing.measure(warmup: warmup, count: reps) {
            T.gemm(transA: false, transB: false, m: n, n: n, k: n, alpha: 1, a: a.pointer, lda: n,
                   b: b.pointer, ldb: n, beta: 0, c: c.pointer, ldc: n)
        }
        var m = Measurement(workload: "gemm", precision: T.typeName, timing: timing, warmup: warmup,
                            flops: 2 * Double(n) * Double(n) * Double(n), flopFormula: "2n^3")
        m.n = n
        return m
    }
}
