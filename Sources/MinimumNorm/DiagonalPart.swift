import Foundation
import ImplicitRegCore
import ReadingSupport

/// Woodworth et al. 2020: GD on the depth-D diagonal network from scale α converges to
/// argmin Q_α^D s.t. Xβ = y, which moves from minimum ℓ2 (α → ∞) to minimum ℓ1 (α → 0), much
/// sooner in α for D ≥ 3 than for D = 2.
enum DiagonalPart {
    static func points(_ config: MinimumNormConfig) -> [PointSpec] {
        let c = config.diagonal
        var out: [PointSpec] = []
        for depth in c.depths {
            for alpha in c.alphas {
                out.append(.diagonalGD(depth: depth, alpha: alpha, seed: config.seed))
            }
        }
        out.append(.transition(seed: config.seed))
        out += c.recovery.seeds.map { PointSpec.recovery(seed: config.seed &+ $0) }
        out.append(.threshold(seed: config.seed))
        return out + DiagonalInitPart.points(config)
    }

    /// GD: ~3 µs per step at d = 100, more steps for small α (log(1/α) for D = 2, α^{2−D} for D ≥ 3).
    static func estimatedCost(_ point: PointSpec, config: MinimumNormConfig) -> Double {
        let c = config.diagonal
        switch point {
        case let .diagonalGD(depth, alpha, _):
            let steps = depth == 2 ? 2e4 * max(1, log10(1 / alpha) + 2) : 2e4 * max(1, pow(1 / alpha, Double(depth - 2)) / 10)
            return min(Double(c.maxSteps), steps) * 3e-6 * Double(c.d * c.n) / 5000
        case .transition: return 0.05 * Double(c.transitionAlphas.count * c.transitionDepths.count)
        case .recovery: return 0.05 * Double(c.recovery.alphas.count * c.recovery.depths.count) * Double(c.recovery.d) / 100
        case .width, .shape: return DiagonalInitPart.estimatedCost(point, config: config)
        default: return 2
        }
    }

    /// X iid N(0, 1) (n × d), β* with `sparsity` entries 1/√sparsity at random positions, y = Xβ* + ε.
    /// Draws from the stream "diagonal-instance": positions, then X row by row, then ε.
    static func instance(d: Int, n: Int, sparsity: Int, noiseSd: Double, streams: RandomStreams)
        -> (x: Matrix<Double>, y: [Double], planted: [Double]) {
        var rng = streams.stream("diagonal-instance")
        var planted = [Double](repeating: 0, count: d)
        for j in rng.permutation(d).prefix(sparsity) { planted[j] = 1 / Double(sparsity).squareRoot() }
        let x = Matrix(rows: n, cols: d, storage: (0..<(n * d)).map { _ in rng.nextNormal() })
        var y = x.times(planted)
        for i in 0..<n { y[i] += noiseSd * rng.nextNormal() }
        return (x, y, planted)
    }

    static func run(_ point: PointSpec, config: MinimumNormConfig, context: RunContext) throws -> HDF5Document {
        let c = config.diagonal
        let streams = context.streams
        switch point {
        case let .diagonalGD(depth, alpha, _): return try runGD(depth: depth, alpha: alpha, config: c, streams: streams, context: context)
        case .transition: return try runTransition(config: c, streams: streams)
        case .recovery: return try runRecovery(c.recovery, streams: streams)
        case .width, .shape: return try DiagonalInitPart.run(point, config: config, context: context)
        default: return try runThreshold(config: c, streams: streams)
        }
    }

    /// `reused`: the other points whose instance this one shares draws with, and what it shares
    /// (said in the descriptions and in the /instance attribute `instance_reused_from`).
    static func addInstance(_ doc: inout HDF5Document, x: Matrix<Double>, y: [Double], planted: [Double], noise: Double,
                            reused: (points: String, rows: Int)? = nil) {
        let rows = reused.map { "; its first \($0.rows) rows are those of \($0.points) (the same seed and stream diagonal-instance)" } ?? ""
        doc.addMatrix("/instance/X", x, units: "1", description: "design matrix X (n × d), iid N(0, 1)\(rows)")
        doc.addVector("/instance/y", y, units: "1", description: "targets y = Xβ* + ε, ε ~ N(0, \(noise))\(rows)")
        doc.addVector("/instance/beta_star", planted, units: "1",
                      description: "planted sparse β*\(reused.map { "; the same as \($0.points)'s (drawn first from the same seed's stream diagonal-instance)" } ?? "")")
        if let reused {
            doc.setAttribute("instance_reused_from", .string("\(reused.points): the same β*, and X and y agree in their first \(reused.rows) rows"), on: "/instance")
        }
    }

    // MARK: GD against the reference solver

    static func runGD(depth: Int, alpha: Double, config c: DiagonalConfig, streams: RandomStreams, context: RunContext) throws -> HDF5Document {
        let (x, y, planted) = instance(d: c.d, n: c.n, sparsity: c.sparsity, noiseSd: 0, streams: streams)
        let l2 = try x.minimumL2Interpolant(y).solution
        let l1 = try x.minimumL1Interpolant(y).solution
        let q = try x.minimizeQAlpha(y, alpha: alpha, depth: depth)
        context.progress.say("  GD, D = \(depth), α = \(alpha)")
        let gd = try DiagonalNetworkDescent(depth: depth, alpha: alpha, relativeStep: c.relativeStep,
                                            stopResidual: c.stopResidual, maxSteps: c.maxSteps).run(x, y)
        // Halving ε_r must not move the result (a large step would erase the small-α bias).
        var doc = HDF5Document()
        addInstance(&doc, x: x, y: y, planted: planted, noise: 0)
        doc.addVector("/solutions/gd", gd.beta, units: "1", description: "GD on the diagonal network at the stop")
        doc.addVector("/solutions/q_alpha", q.solution, units: "1", description: "argmin Q_α^D s.t. Xβ = y (dual Newton)")
        doc.addVector("/solutions/minimum_l1", l1, units: "1", description: "basis pursuit (ADMM, polished, certified)")
        doc.addVector("/solutions/minimum_l2", l2, units: "1", description: "X⁺y")
        let s = "/summary"
        doc.addScalar("\(s)/gd_to_q", Vec.relativeDistance(gd.beta, q.solution), units: "1", description: "‖β_GD − β_Q‖/‖β_Q‖")
        doc.addScalar("\(s)/gd_to_l1", Vec.relativeDistance(gd.beta, l1), units: "1", description: "‖β_GD − β_ℓ1‖/‖β_ℓ1‖")
        doc.addScalar("\(s)/gd_to_l2", Vec.relativeDistance(gd.beta, l2), units: "1", description: "‖β_GD − β_ℓ2‖/‖β_ℓ2‖")
        doc.addScalar("\(s)/q_to_l1", Vec.relativeDistance(q.solution, l1), units: "1", description: "‖β_Q − β_ℓ1‖/‖β_ℓ1‖")
        doc.addScalar("\(s)/q_to_l2", Vec.relativeDistance(q.solution, l2), units: "1", description: "‖β_Q − β_ℓ2‖/‖β_ℓ2‖")
        doc.addScalar("\(s)/gd_steps", Double(gd.steps), units: "steps", description: "GD steps")
        doc.addScalar("\(s)/gd_capped", gd.stop == .stepCap ? 1 : 0, units: "1", description: "1 if GD hit the step cap before the residual stop")
        doc.addScalar("\(s)/gd_residual", gd.relativeResidual, units: "1", description: "‖Xβ_GD − y‖/‖y‖ at the stop")
        doc.addScalar("\(s)/q_newton_iterations", Double(q.iterations), units: "iterations", description: "dual Newton iterations")
        return doc
    }

    // MARK: The ℓ2 → ℓ1 transition (reference solver on a fine α grid)

    static func runTransition(config c: DiagonalConfig, streams: RandomStreams) throws -> HDF5Document {
        let (x, y, planted) = instance(d: c.d, n: c.n, sparsity: c.sparsity, noiseSd: 0, streams: streams)
        let l2 = try x.minimumL2Interpolant(y).solution
        let l1 = try x.minimumL1Interpolant(y).solution
        let alphas = c.transitionAlphas
        var doc = HDF5Document()
        addInstance(&doc, x: x, y: y, planted: planted, noise: 0)
        doc.addVector("/curves/alpha", alphas, units: "1", description: "initialisation scale α")
        var failures = 0
        for depth in c.transitionDepths {
            var toL1: [Double] = [], toL2: [Double] = [], population: [Double] = []
            var failed: [(alpha: Double, reason: String)] = []
            for alpha in alphas {
                // D ≥ 3 loses digits once α^{D−2} ≤ 1e-6 (1 − |Xᵀν| ≈ α^{D−2}): not solved there.
                if depth >= 3, pow(alpha, Double(depth - 2)) < 1.01e-6 {
                    toL1.append(.nan); toL2.append(.nan); population.append(.nan)
                    continue
                }
                let q: [Double]
                do {
                    q = try x.minimizeQAlpha(y, alpha: alpha, depth: depth).solution
                } catch {
                    // Stored as NaN; the point file keeps which α failed and the solver's own reason.
                    failures += 1
                    failed.append((alpha, "\(error)"))
                    toL1.append(.nan); toL2.append(.nan); population.append(.nan)
                    continue
                }
                toL1.append(Vec.relativeDistance(q, l1))
                toL2.append(Vec.relativeDistance(q, l2))
                population.append(pow(Vec.norm(Vec.sub(q, planted)), 2))
            }
            let g = "/curves/D\(depth)"
            doc.addVector("\(g)/q_to_l1", toL1, units: "1", description: "‖β_Q − β_ℓ1‖/‖β_ℓ1‖ vs α (NaN: α^{D−2} < 1e-6, not solved)")
            doc.addVector("\(g)/q_to_l2", toL2, units: "1", description: "‖β_Q − β_ℓ2‖/‖β_ℓ2‖ vs α")
            doc.addVector("\(g)/population_error", population, units: "1", description: "‖β_Q − β*‖² vs α")
            if !failed.isEmpty {
                doc.addVector("\(g)/solver_failure_alpha", failed.map(\.alpha), units: "1",
                              description: "α of the grid points (beyond the α^{D−2} < 1e-6 ones skipped by design) where the Q_α^D solver's check failed; their values are NaN")
                doc.setAttribute("solver_failure_reasons", .string(failed.map { "α = \($0.alpha): \($0.reason)" }.joined(separator: "\n")), on: g)
            }
            let within = zip(alphas, toL1).filter { $0.1 <= c.withinL1 }.map(\.0)
            doc.addScalar("/summary/alpha_star_D\(depth)", within.max() ?? .nan, units: "1",
                          description: "largest α of the grid whose Q_α^D minimiser is within \(c.withinL1) (relative) of minimum ℓ1")
        }
        doc.addScalar("/summary/solver_failures", Double(failures), units: "points",
                      description: "grid points where the dual Newton solver's residual check failed (stored as NaN)")
        doc.setDimensionScale("/curves/alpha", for: c.transitionDepths.flatMap { depth in
            ["q_to_l1", "q_to_l2", "population_error"].map { "/curves/D\(depth)/\($0)" }
        })
        return doc
    }

    // MARK: Sparse recovery with noise

    static func runRecovery(_ r: RecoveryConfig, streams: RandomStreams) throws -> HDF5Document {
        let (x, y, planted) = instance(d: r.d, n: r.n, sparsity: r.sparsity, noiseSd: r.noiseVariance.squareRoot(), streams: streams)
        let l2 = try x.minimumL2Interpolant(y).solution
        var doc = HDF5Document()
        addInstance(&doc, x: x, y: y, planted: planted, noise: r.noiseVariance)
        doc.addVector("/curves/alpha", r.alphas, units: "1", description: "initialisation scale α")
        for depth in r.depths {
            var population: [Double] = []
            for alpha in r.alphas {
                if depth >= 3, pow(alpha, Double(depth - 2)) < 1.01e-6 { population.append(.nan); continue }
                let q = try x.minimizeQAlpha(y, alpha: alpha, depth: depth).solution
                population.append(pow(Vec.norm(Vec.sub(q, planted)), 2))
            }
            doc.addVector("/curves/D\(depth)/population_error", population, units: "1",
                          description: "‖β_Q − β*‖² (= population excess error for x ~ N(0, I)) vs α")
        }
        doc.addScalar("/summary/population_error_l2", pow(Vec.norm(Vec.sub(l2, planted)), 2), units: "1", description: "‖X⁺y − β*‖²")
        doc.setDimensionScale("/curves/alpha", for: r.depths.map { "/curves/D\($0)/population_error" })
        return doc
    }

    // MARK: The recovery threshold: D = 2 stays far from ℓ1

    static func runThreshold(config c: DiagonalConfig, streams: RandomStreams) throws -> HDF5Document {
        let (x, y, planted) = instance(d: c.d, n: c.thresholdN, sparsity: c.sparsity, noiseSd: 0, streams: streams)
        let l1 = try x.minimumL1Interpolant(y, maxIterations: 2_000_000).solution
        let q = try x.minimizeQAlpha(y, alpha: c.thresholdAlpha, depth: 2).solution
        var doc = HDF5Document()
        // The same seed, d and sparsity as the GD and transition instance, only n differs: the
        // positions of β* are drawn first and X row by row, so the two share β* and their leading rows.
        addInstance(&doc, x: x, y: y, planted: planted, noise: 0,
                    reused: ("diag-transition and diag-gd-* (diagonal.n = \(c.n))", min(c.n, c.thresholdN)))
        doc.addVector("/solutions/q_alpha", q, units: "1", description: "argmin Q_α (D = 2) at the threshold α")
        doc.addVector("/solutions/minimum_l1", l1, units: "1", description: "basis pursuit")
        doc.addScalar("/summary/q_to_l1", Vec.relativeDistance(q, l1), units: "1", description: "‖β_Q − β_ℓ1‖/‖β_ℓ1‖ at n = threshold_n, D = 2, α = threshold_alpha")
        doc.addScalar("/summary/l1_to_planted", Vec.relativeDistance(l1, planted), units: "1", description: "‖β_ℓ1 − β*‖/‖β*‖ (0 if ℓ1 recovers)")
        return doc
    }

    // MARK: Summary

    static func summarize(_ points: [(PointSpec, HDF5Document)], config: MinimumNormConfig, into summary: inout HDF5Document) throws {
        guard !points.isEmpty else { return }
        let c = config.diagonal
        let g = "/summary/diagonal"
        let gd = points.compactMap { p -> (depth: Int, alpha: Double, run: (PointSpec, HDF5Document))? in
            guard case let .diagonalGD(depth, alpha, _) = p.0 else { return nil }
            return (depth, alpha, p)
        }
        func value(_ p: (PointSpec, HDF5Document), _ key: String) throws -> Double { try p.1.required("/summary/\(key)", point: p.0.name) }
        if !gd.isEmpty {
            summary.addScalar("\(g)/gd_to_q_max", try gd.map { try value($0.run, "gd_to_q") }.max()!, units: "1",
                              description: "largest ‖β_GD − β_Q‖/‖β_Q‖ over depths and α")
            var monotoneL1 = true, monotoneL2 = true
            for depth in c.depths {
                let runs = gd.filter { $0.depth == depth }.sorted { $0.alpha < $1.alpha }
                let toL1 = try runs.map { try value($0.run, "gd_to_l1") }, toL2 = try runs.map { try value($0.run, "gd_to_l2") }
                monotoneL1 = monotoneL1 && zip(toL1, toL1.dropFirst()).allSatisfy { $0 <= $1 }
                monotoneL2 = monotoneL2 && zip(toL2, toL2.dropFirst()).allSatisfy { $0 >= $1 }
                summary.addVector("/curves/diagonal-gd/D\(depth)/alpha", runs.map(\.alpha), units: "1", description: "α of the GD points")
                summary.addVector("/curves/diagonal-gd/D\(depth)/gd_to_l1", toL1, units: "1", description: "‖β_GD − β_ℓ1‖/‖β_ℓ1‖")
                summary.addVector("/curves/diagonal-gd/D\(depth)/gd_to_l2", toL2, units: "1", description: "‖β_GD − β_ℓ2‖/‖β_ℓ2‖")
                summary.addVector("/curves/diagonal-gd/D\(depth)/gd_to_q", try runs.map { try value($0.run, "gd_to_q") }, units: "1", description: "‖β_GD − β_Q‖/‖β_Q‖")
                for run in runs {
                    summary.addScalar("\(g)/D\(depth)/alpha_\(PointSpec.format(run.alpha))/gd_to_q", try value(run.run, "gd_to_q"), units: "1",
                                      description: "‖β_GD − β_Q‖/‖β_Q‖ at this depth and α")
                }
            }
            summary.addScalar("\(g)/l1_distance_monotone", monotoneL1 ? 1 : 0, units: "1",
                              description: "1 if GD's distance to minimum ℓ1 is non-decreasing in α for every depth")
            summary.addScalar("\(g)/l2_distance_monotone", monotoneL2 ? 1 : 0, units: "1",
                              description: "1 if GD's distance to minimum ℓ2 is non-increasing in α for every depth")
            if let large = c.alphas.max() {
                let at = gd.filter { $0.alpha == large }
                summary.addScalar("\(g)/largest_alpha_gd_to_l2", try at.map { try value($0.run, "gd_to_l2") }.max()!, units: "1",
                                  description: "‖β_GD − β_ℓ2‖/‖β_ℓ2‖ at the largest α (worst depth)")
            }
            if let deep = gd.first(where: { $0.depth == 3 && $0.alpha == 1e-2 }) {
                summary.addScalar("\(g)/D3_alpha_1e-2_gd_to_l1", try value(deep.run, "gd_to_l1"), units: "1", description: "‖β_GD − β_ℓ1‖/‖β_ℓ1‖ at D = 3, α = 1e-2")
            }
            if let shallow = gd.first(where: { $0.depth == 2 && $0.alpha == 1e-2 }) {
                summary.addScalar("\(g)/D2_alpha_1e-2_gd_to_l1", try value(shallow.run, "gd_to_l1"), units: "1", description: "‖β_GD − β_ℓ1‖/‖β_ℓ1‖ at D = 2, α = 1e-2")
            }
        }
        if let t = points.first(where: { $0.0.experiment == .transition }) {
            summary.merge(t.1, from: "/curves", into: "/curves/diagonal-transition")
            var stars: [Int: Double] = [:]
            for depth in c.transitionDepths {
                stars[depth] = try value(t, "alpha_star_D\(depth)")
                summary.addScalar("\(g)/alpha_star_D\(depth)", stars[depth]!, units: "1", description: "largest α within \(c.withinL1) of minimum ℓ1, depth \(depth)")
            }
            if let a2 = stars[2], let a3 = stars[3] {
                summary.addScalar("\(g)/alpha_star_ratio_3_2", a3 / a2, units: "1", description: "α*₃/α*₂")
            }
        }
        let recovery = points.filter { $0.0.experiment == .recovery }
        if !recovery.isEmpty {
            let r = c.recovery
            for depth in r.depths {
                // Mean over seeds of ‖β_Q − β*‖² at each α.
                var mean = [Double](repeating: 0, count: r.alphas.count)
                var perSeedRatio: [Double] = []
                let smallIndex = r.alphas.lastIndex { $0 <= 0.011 }, largeIndex = r.alphas.firstIndex { $0 >= 0.99 }
                for p in recovery {
                    guard case let .double(v)? = p.1.datasets["/curves/D\(depth)/population_error"]?.values else { continue }
                    for i in v.indices { mean[i] += v[i] / Double(recovery.count) }
                    if let i = smallIndex, let j = largeIndex { perSeedRatio.append(v[i] / v[j]) }
                }
                if !perSeedRatio.isEmpty {
                    summary.addSeedStatistic("\(g)/recovery/D\(depth)/by-seed/error_ratio_small_to_large", SeedStatistic(perSeedRatio), units: "1",
                                             description: "population error at α = 1e-2 over that at α = 1, per seed")
                }
                summary.addVector("/curves/diagonal-recovery/D\(depth)/population_error", mean, units: "1", description: "‖β_Q − β*‖² vs α, mean over seeds")
                let small = zip(r.alphas, mean).filter { $0.0 <= 0.011 && $0.1.isFinite }.map(\.1).last ?? .nan
                let large = zip(r.alphas, mean).filter { $0.0 >= 0.99 }.map(\.1).first ?? .nan
                summary.addScalar("\(g)/recovery/D\(depth)/error_ratio_small_to_large", small / large, units: "1",
                                  description: "population error at α = 1e-2 over that at α = 1 (mean over seeds)")
            }
            summary.addVector("/curves/diagonal-recovery/alpha", r.alphas, units: "1", description: "α")
            summary.setDimensionScale("/curves/diagonal-recovery/alpha", for: r.depths.map { "/curves/diagonal-recovery/D\($0)/population_error" })
        }
        if let t = points.first(where: { $0.0.experiment == .threshold }) {
            summary.addScalar("\(g)/threshold_D2_q_to_l1", try value(t, "q_to_l1"), units: "1",
                              description: "‖β_Q − β_ℓ1‖/‖β_ℓ1‖, D = 2, at the recovery threshold n and a tiny α")
        }
        try DiagonalInitPart.summarize(points, config: config, into: &summary)
    }
}
