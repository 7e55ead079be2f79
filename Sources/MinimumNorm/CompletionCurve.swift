import Foundation
import ImplicitRegCore
import ReadingSupport

/// Arora et al. 2019's central figure as a statistic: reconstruction error against the number of
/// observed entries m for minimum nuclear norm and GD on depth-N factorizations W = W_N⋯W₁ from a
/// small init. One point per (m, seed): the seed's W* (rank r, ‖W*‖_F = n), a mask Ω of m entries
/// drawn for that m, and every method on it. The summary gives, per (method, m), the fraction of
/// seeds that recover W* (error ≤ the threshold) with its Wilson interval and the median error.
enum CompletionCurve {
    /// The methods of the curve: "nuclear" and "depth<N>".
    static func methods(_ c: CompletionCurveConfig) -> [String] { ["nuclear"] + c.depths.map { "depth\($0)" } }

    static func points(_ config: MinimumNormConfig) -> [PointSpec] {
        guard let c = config.matrixFactorization.completionCurve else { return [] }
        return c.observed.flatMap { m in c.seeds.map { PointSpec.completionCurve(observed: m, seed: config.seed &+ $0) } }
    }

    /// ADMM for the nuclear norm, then GD per depth (≈ 4·10⁴ steps of 2N n³ flops at small init; more near m ≈ dof).
    static func estimatedCost(_ m: Int, config: MinimumNormConfig) -> Double {
        guard let c = config.matrixFactorization.completionCurve else { return 0 }
        let n = Double(c.size)
        let steps = Double(min(c.maxSteps, 40_000))
        return 1000 * 10 * n * n * n / 1e9 + c.depths.reduce(0) { $0 + steps * 4 * Double($1) * 2 * n * n * n / 4e10 + steps * 20e-6 }
    }

    /// `truthSource`: the instance whose W* this point's seed also draws (said in the point file).
    static func run(observed m: Int, config: MinimumNormConfig, context: RunContext, truthSource: MatrixFactorizationPart.TruthSource?) throws -> HDF5Document {
        var mf = config.matrixFactorization
        guard let c = mf.completionCurve else { throw ConfigError.invalid(field: "matrix_factorization.completion_curve", value: "absent", reason: "a completion-curve point needs it") }
        mf.maxSteps = c.maxSteps
        let (truth, omega, values) = MatrixFactorizationPart.instance(size: c.size, rank: c.rank, observed: m, streams: context.streams)
        var doc = HDF5Document()
        MatrixFactorizationPart.addInstance(&doc, truth: truth, observed: omega, values: values, truthSource: truthSource)
        func add(_ method: String, _ w: Matrix<Double>, steps: Int?) throws {
            let g = "/summary/\(method)"
            doc.addMatrix("/solutions/\(method)", w, units: "1", description: method == "nuclear"
                          ? "argmin ‖Z‖_* s.t. Z_Ω = M_Ω (ADMM with SVT, certified)" : "W = W_N⋯W₁ at the stop (\(method), ‖W(0)‖_F = \(c.initNorm))")
            doc.addScalar("\(g)/error", MatrixFactorizationPart.relativeError(w, truth), units: "1", description: "‖W − W*‖²_F/‖W*‖²_F")
            doc.addScalar("\(g)/effective_rank", try w.effectiveRank(), units: "1", description: "exp(H(σ/Σσ)) of the solution")
            doc.addScalar("\(g)/nuclear_norm", try w.nuclearNorm(), units: "1", description: "‖W‖_* of the solution")
            if let steps {
                doc.addScalar("\(g)/steps", Double(steps), units: "steps", description: "GD steps to the loss stop (matrix_factorization.stop_loss) or the cap (completion_curve.max_steps)")
                doc.addScalar("\(g)/hit_step_cap", steps >= mf.maxSteps ? 1 : 0, units: "1",
                              description: "1 if GD stopped at completion_curve.max_steps before the loss stop (not converged)")
            }
        }
        context.progress.say("  completion curve: n = \(c.size), r = \(c.rank), m = \(m)")
        let nuclear = try Matrix<Double>.minimumNuclearNormCompletion(rows: c.size, cols: c.size, observed: omega, values: values)
        try add("nuclear", nuclear.solution, steps: nil)
        for depth in c.depths {
            let run = try MatrixFactorizationPart.train(truth: truth, observed: omega, values: values, depth: depth, initNorm: c.initNorm,
                                                        stepFactor: mf.stepFactor, config: mf, streams: context.streams, record: false)
            try add("depth\(depth)", run.w, steps: run.steps)
        }
        doc.addScalar("/summary/observed", Double(m), units: "entries", description: "m, the number of observed entries")
        doc.addScalar("/summary/truth_effective_rank", try truth.effectiveRank(), units: "1", description: "effective rank of W*")
        doc.addScalar("/summary/truth_nuclear_norm", try truth.nuclearNorm(), units: "1", description: "‖W*‖_*")
        return doc
    }

    /// Per (method, m): recovered seeds, fraction, Wilson 95 % interval, median error, and how many
    /// runs hit the step cap; then the comparisons the claims read.
    static func summarize(_ points: [(PointSpec, HDF5Document)], config: MinimumNormConfig, into summary: inout HDF5Document) throws {
        guard let c = config.matrixFactorization.completionCurve else { return }
        var errors: [String: [Int: [Double]]] = [:], capped: [String: Int] = [:]
        for (point, doc) in points {
            guard case let .completionCurve(m, _) = point else { continue }
            for method in methods(c) {
                errors[method, default: [:]][m, default: []].append(try doc.required("/summary/\(method)/error", point: point.name))
                if (doc.scalar("/summary/\(method)/hit_step_cap") ?? 0) > 0 { capped[method, default: 0] += 1 }
            }
        }
        guard !errors.isEmpty else { return }
        let g = "/curves/mf/completion"
        summary.addVector("\(g)/observed", c.observed.map(Double.init), units: "entries", description: "m, the number of observed entries")
        summary.addVector("\(g)/observed_over_dof", c.observed.map { Double($0) / Double(c.degreesOfFreedom) }, units: "1",
                          description: "m / r(2n − r), the number of observed entries over the degrees of freedom of a rank-r n×n matrix")
        var intervals: [String: [BinomialInterval]] = [:]
        for method in methods(c) {
            let perM = c.observed.map { errors[method]?[$0] ?? [] }
            let interval = perM.map { e in BinomialInterval(successes: e.filter { $0 <= c.recoveryThreshold }.count, trials: e.count) }
            intervals[method] = interval
            let h = "\(g)/\(method)"
            summary.addVector("\(h)/recovery_fraction", interval.map(\.fraction), units: "1",
                              description: "fraction of seeds with ‖W − W*‖²_F/‖W*‖²_F ≤ \(c.recoveryThreshold) (\(method))")
            summary.addVector("\(h)/recovery_lower", interval.map(\.lower), units: "1", description: "Wilson 95 % interval of the recovery fraction: lower end")
            summary.addVector("\(h)/recovery_upper", interval.map(\.upper), units: "1", description: "Wilson 95 % interval of the recovery fraction: upper end")
            summary.addVector("\(h)/seeds", interval.map { Double($0.trials) }, units: "seeds", description: "seeds (instances) per m")
            summary.addVector("\(h)/median_error", perM.map { $0.quantile(0.5) }, units: "1", description: "median over seeds of ‖W − W*‖²_F/‖W*‖²_F")
            summary.addVector("\(h)/log10_error_q25", perM.map { $0.map(log10).quantile(0.25) }, units: "1", description: "lower quartile of log10 error over seeds")
            summary.addVector("\(h)/log10_error_q75", perM.map { $0.map(log10).quantile(0.75) }, units: "1", description: "upper quartile of log10 error over seeds")
            if method != "nuclear" {
                summary.addScalar("/summary/mf/completion/\(method)_step_cap_runs", Double(capped[method] ?? 0), units: "runs",
                                  description: "\(method) runs that stopped at completion_curve.max_steps before the loss stop")
            }
        }
        let labelled = methods(c).flatMap { m in
            ["recovery_fraction", "recovery_lower", "recovery_upper", "seeds", "median_error", "log10_error_q25", "log10_error_q75"].map { "\(g)/\(m)/\($0)" }
        }
        summary.setDimensionScale("\(g)/observed", for: ["\(g)/observed_over_dof"] + labelled)
        // Comparisons: at how many m does one method's interval lie wholly above another's.
        func separated(_ a: String, above b: String) -> Double {
            guard let x = intervals[a], let y = intervals[b] else { return .nan }
            return Double(zip(x, y).filter { $0.separatedAbove($1) }.count)
        }
        let s = "/summary/mf/completion"
        for depth in c.depths {
            summary.addScalar("\(s)/depth\(depth)_above_nuclear_count", separated("depth\(depth)", above: "nuclear"), units: "m values",
                              description: "m values where depth \(depth)'s recovery interval lies wholly above minimum nuclear norm's")
            summary.addScalar("\(s)/nuclear_above_depth\(depth)_count", separated("nuclear", above: "depth\(depth)"), units: "m values",
                              description: "m values where minimum nuclear norm's recovery interval lies wholly above depth \(depth)'s")
        }
        for (a, b) in zip(c.depths, c.depths.dropFirst()) {
            summary.addScalar("\(s)/depth\(a)_above_depth\(b)_count", separated("depth\(a)", above: "depth\(b)"), units: "m values",
                              description: "m values where depth \(a)'s recovery interval lies wholly above the deeper depth \(b)'s (deeper worse)")
            summary.addScalar("\(s)/depth\(b)_above_depth\(a)_count", separated("depth\(b)", above: "depth\(a)"), units: "m values",
                              description: "m values where depth \(b)'s recovery interval lies wholly above the shallower depth \(a)'s (deeper better)")
        }
        // Where the grid sits: recovery at its smallest and largest m (the curve must span the transitions).
        for method in methods(c) {
            let i = intervals[method]!
            summary.addScalar("\(s)/\(method)_recovery_at_smallest_m", i.first!.fraction, units: "1",
                              description: "\(method): recovery fraction at the smallest m of the grid (m = \(c.observed.first!))")
            summary.addScalar("\(s)/\(method)_recovery_at_largest_m", i.last!.fraction, units: "1",
                              description: "\(method): recovery fraction at the largest m of the grid (m = \(c.observed.last!))")
        }
        // The sum over m of recovered seeds per method, and its difference: where the curve sits.
        for method in methods(c) {
            let total = intervals[method]!.reduce(0) { $0 + $1.successes }
            summary.addScalar("\(s)/\(method)_recovered_total", Double(total), units: "runs", description: "recovered runs over every m and seed (\(method))")
        }
        summary.addScalar("\(s)/seeds_per_m", Double(c.seeds.count), units: "seeds", description: "seeds per m")
        summary.addScalar("\(s)/recovery_threshold", c.recoveryThreshold, units: "1", description: "error ≤ this counts as recovery")
    }
}
