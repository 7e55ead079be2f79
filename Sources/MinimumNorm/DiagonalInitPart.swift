import Foundation
import ImplicitRegCore
import ReadingSupport

/// Woodworth et al. 2020 on width and the shape of the initialisation, for β = Σ_{j≤k} u_j∘v_j
/// (depth 2). Gradient flow from any (u, v)(0) ends at βᵢ = Pᵢe^{tᵢ} − Nᵢe^{−tᵢ}, t = Xᵀν (derived),
/// with Pᵢ, Nᵢ = ¼Σ_j(u_ji ± v_ji)²(0); with u_j, v_j iid N(0, 2α²/k), Pᵢ, Nᵢ → α² as k → ∞ (the
/// unbiased Q_α), while at small k they scatter and β(0) ≠ 0. Each point: one seed's instance.
enum DiagonalInitPart {
    static func points(_ config: MinimumNormConfig) -> [PointSpec] {
        guard let c = config.diagonalInit else { return [] }
        return c.seeds.map { PointSpec.width(seed: config.seed &+ $0) } + c.seeds.map { PointSpec.shape(seed: config.seed &+ $0) }
    }

    /// A closed-form solve ≈ 5 ms; GD ≈ 10–30 µs per step, more steps for small α.
    static func estimatedCost(_ point: PointSpec, config: MinimumNormConfig) -> Double {
        guard let c = config.diagonalInit else { return 0 }
        let scale = Double(config.diagonal.d * config.diagonal.n) / 5000
        func gd(_ alpha: Double) -> Double { 2e4 * max(1, log10(1 / alpha) + 2) * 2e-5 * scale }
        switch point {
        case .width:
            return scale * (0.005 * Double(c.alphas.count * (c.widths.count + 1)) + c.widths.reduce(0.0) { s, k in
                s + c.gdAlphas.reduce(0.0) { $0 + gd($1) * (1 + Double(k) / 32) }
            })
        default:
            return 2 * Double(c.imbalances.count) * gd(c.shapeAlpha / 2)
        }
    }

    static let unbiased = "unbiased"

    /// Seed statistics and curves of the excess-ℓ1 position r = (‖β‖₁ − ‖β_ℓ1‖₁)/(‖β_ℓ2‖₁ − ‖β_ℓ1‖₁):
    /// 0 at minimum ℓ1, 1 at minimum ℓ2's ℓ1 norm.
    static func excessL1Ratio(_ beta: [Double], l1: Double, l2: Double) -> Double {
        (Vec.norm1(beta) - l1) / (l2 - l1)
    }

    /// The first α of the grid (scanning upward) at which r reaches 1/2, interpolated linearly in
    /// (log10 α, r) between the two grid points around the crossing; NaN if r never reaches 1/2 or
    /// already does at the first α (the crossing is then off the grid).
    static func halfCrossing(alphas: [Double], ratios: [Double]) -> Double {
        guard let first = ratios.first, first.isFinite, first < 0.5 else { return .nan }
        for i in 1..<ratios.count where ratios[i].isFinite && ratios[i] >= 0.5 {
            let (r0, r1) = (ratios[i - 1], ratios[i])
            guard r0.isFinite else { return .nan }
            let (l0, l1) = (log10(alphas[i - 1]), log10(alphas[i]))
            return l0 + (0.5 - r0) / (r1 - r0) * (l1 - l0)
        }
        return .nan
    }

    /// Init of width k at scale α: u_j, v_j iid N(0, 2α²/k) from the seed's stream "width-init-k<k>"
    /// (U row by row, then V): the same standard normals for every α.
    static func gaussianInit(k: Int, d: Int, alpha: Double, streams: RandomStreams) -> (u: Matrix<Double>, v: Matrix<Double>) {
        var rng = streams.stream("width-init-k\(k)")
        let sigma = alpha * (2 / Double(k)).squareRoot()
        let u = Matrix(rows: k, cols: d, storage: (0..<(k * d)).map { _ in sigma * rng.nextNormal() })
        let v = Matrix(rows: k, cols: d, storage: (0..<(k * d)).map { _ in sigma * rng.nextNormal() })
        return (u, v)
    }

    /// Shape inits at α and imbalance s. Layers: two units, u = αs·1, v = ±(α/s)·1 (β(0) = 0,
    /// Pᵢ = Nᵢ = α²(s² + s⁻²)/2). Signs: β = w₊² − w₋² with w₊ = αs, w₋ = α/s, written as u∘v with
    /// u = w₊ + w₋, v = w₊ − w₋ (Pᵢ = α²s², Nᵢ = α²s⁻², β(0) = α²(s² − s⁻²)).
    static func shapeInit(_ family: String, alpha: Double, s: Double, d: Int) -> (u: Matrix<Double>, v: Matrix<Double>) {
        if family == "layers" {
            let u = Matrix(rows: 2, cols: d, storage: [Double](repeating: alpha * s, count: 2 * d))
            let v = Matrix(rows: 2, cols: d, storage: [Double](repeating: alpha / s, count: d) + [Double](repeating: -alpha / s, count: d))
            return (u, v)
        }
        let (wp, wm) = (alpha * s, alpha / s)
        return (Matrix(rows: 1, cols: d, storage: [Double](repeating: wp + wm, count: d)),
                Matrix(rows: 1, cols: d, storage: [Double](repeating: wp - wm, count: d)))
    }

    static let shapeFamilies = ["layers", "signs"]

    static func run(_ point: PointSpec, config: MinimumNormConfig, context: RunContext) throws -> HDF5Document {
        guard let c = config.diagonalInit else { throw ConfigError.invalid(field: "diagonal_init", value: "null", reason: "is needed for \(point.name)") }
        let dc = config.diagonal
        let (x, y, planted) = DiagonalPart.instance(d: dc.d, n: dc.n, sparsity: dc.sparsity, noiseSd: 0, streams: context.streams)
        let l2 = try x.minimumL2Interpolant(y).solution
        let l1 = try x.minimumL1Interpolant(y).solution
        let (l1Norm, l2Norm) = (Vec.norm1(l1), Vec.norm1(l2))
        let descent = FactorizedDiagonalDescent(relativeStep: dc.relativeStep, stopResidual: dc.stopResidual, maxSteps: dc.maxSteps)
        var doc = HDF5Document()
        DiagonalPart.addInstance(&doc, x: x, y: y, planted: planted, noise: 0)
        doc.addVector("/solutions/minimum_l1", l1, units: "1", description: "basis pursuit (ADMM, polished, certified)")
        doc.addVector("/solutions/minimum_l2", l2, units: "1", description: "X⁺y")
        doc.addScalar("/summary/l1_norm_of_minimum_l1", l1Norm, units: "1", description: "‖β_ℓ1‖₁")
        doc.addScalar("/summary/l1_norm_of_minimum_l2", l2Norm, units: "1", description: "‖β_ℓ2‖₁")
        func describe(_ beta: [Double], into g: String) -> (ratio: Double, toL1: Double) {
            let r = excessL1Ratio(beta, l1: l1Norm, l2: l2Norm), toL1 = Vec.relativeDistance(beta, l1)
            doc.addScalar("\(g)/excess_l1_ratio", r, units: "1", description: "(‖β‖₁ − ‖β_ℓ1‖₁)/(‖β_ℓ2‖₁ − ‖β_ℓ1‖₁) of the closed-form limit")
            doc.addScalar("\(g)/q_to_l1", toL1, units: "1", description: "‖β − β_ℓ1‖/‖β_ℓ1‖ of the closed-form limit")
            doc.addScalar("\(g)/q_to_l2", Vec.relativeDistance(beta, l2), units: "1", description: "‖β − β_ℓ2‖/‖β_ℓ2‖ of the closed-form limit")
            doc.addScalar("\(g)/population_error", pow(Vec.norm(Vec.sub(beta, planted)), 2), units: "1", description: "‖β − β*‖² of the closed-form limit")
            return (r, toL1)
        }
        func train(_ u: Matrix<Double>, _ v: Matrix<Double>, closedForm: [Double], unbiasedAlpha: Double, into g: String) throws {
            let gd = try descent.run(x, y, u: u, v: v)
            let unbiased = try x.minimizeExponentialPotential(y, positive: [Double](repeating: unbiasedAlpha * unbiasedAlpha, count: dc.d),
                                                              negative: [Double](repeating: unbiasedAlpha * unbiasedAlpha, count: dc.d)).solution
            doc.addVector("\(g)/gd_beta", gd.beta, units: "1", description: "GD on the network at the stop")
            doc.addScalar("\(g)/gd_to_closed_form", Vec.relativeDistance(gd.beta, closedForm), units: "1",
                          description: "‖β_GD − β_closed‖/‖β_closed‖ (β_closed: Pe^t − Ne^{−t} with this init's P, N)")
            doc.addScalar("\(g)/gd_to_unbiased_q", Vec.relativeDistance(gd.beta, unbiased), units: "1",
                          description: "‖β_GD − β_Q‖/‖β_Q‖ against the unbiased Q_α at α = \(unbiasedAlpha) (the wrong formula unless P = N = α²)")
            doc.addScalar("\(g)/gd_steps", Double(gd.steps), units: "steps", description: "GD steps")
            doc.addScalar("\(g)/gd_capped", gd.stop == .stepCap ? 1 : 0, units: "1", description: "1 if GD hit the step cap")
            doc.addScalar("\(g)/gd_residual", gd.relativeResidual, units: "1", description: "‖Xβ_GD − y‖/‖y‖ at the stop")
        }
        var failures: [String] = []
        switch point {
        case .width:
            let alphas = c.alphas
            doc.addVector("/curves/alpha", alphas, units: "1", description: "initialisation scale α (α² = kσ²/2)")
            var scaled: [String] = []
            for k in c.widths + [0] {
                let name = k == 0 ? unbiased : "k\(k)"
                // P, N at α = 1; they scale as α².
                let (p1, n1): ([Double], [Double])
                if k == 0 {
                    (p1, n1) = ([Double](repeating: 1, count: dc.d), [Double](repeating: 1, count: dc.d))
                } else {
                    let (u, v) = gaussianInit(k: k, d: dc.d, alpha: 1, streams: context.streams)
                    (p1, n1) = FactorizedDiagonalDescent.exponents(u: u, v: v)
                    doc.addScalar("/summary/\(name)/phi_abs_mean", zip(p1, n1).map { abs(0.5 * log($0 / $1)) }.reduce(0, +) / Double(dc.d), units: "1",
                                  description: "mean |φᵢ| = |½ln(Pᵢ/Nᵢ)| of this width's init (0 for the unbiased limit)")
                    doc.addScalar("/summary/\(name)/initial_predictor_norm_at_alpha_1", Vec.norm(Vec.sub(p1, n1)), units: "1",
                                  description: "‖β(0)‖ at α = 1 (scales as α²)")
                }
                var ratio: [Double] = [], toL1: [Double] = [], toL2: [Double] = [], population: [Double] = []
                for alpha in alphas {
                    let a2 = alpha * alpha
                    do {
                        let beta = try x.minimizeExponentialPotential(y, positive: p1.map { $0 * a2 }, negative: n1.map { $0 * a2 }).solution
                        ratio.append(excessL1Ratio(beta, l1: l1Norm, l2: l2Norm))
                        toL1.append(Vec.relativeDistance(beta, l1)); toL2.append(Vec.relativeDistance(beta, l2))
                        population.append(pow(Vec.norm(Vec.sub(beta, planted)), 2))
                    } catch {
                        failures.append("\(name), α = \(alpha): \(error)")
                        ratio.append(.nan); toL1.append(.nan); toL2.append(.nan); population.append(.nan)
                    }
                }
                let g = "/curves/\(name)"
                doc.addVector("\(g)/excess_l1_ratio", ratio, units: "1", description: "(‖β‖₁ − ‖β_ℓ1‖₁)/(‖β_ℓ2‖₁ − ‖β_ℓ1‖₁) of the closed-form limit vs α")
                doc.addVector("\(g)/q_to_l1", toL1, units: "1", description: "‖β − β_ℓ1‖/‖β_ℓ1‖ vs α")
                doc.addVector("\(g)/q_to_l2", toL2, units: "1", description: "‖β − β_ℓ2‖/‖β_ℓ2‖ vs α")
                doc.addVector("\(g)/population_error", population, units: "1", description: "‖β − β*‖² vs α")
                scaled += ["excess_l1_ratio", "q_to_l1", "q_to_l2", "population_error"].map { "\(g)/\($0)" }
                let half = halfCrossing(alphas: alphas, ratios: ratio)
                doc.addScalar("/summary/\(name)/log10_alpha_half", half, units: "log10",
                              description: "log10 of the α where the excess-ℓ1 ratio first reaches 1/2 (NaN: not within the grid)")
                doc.addScalar("/summary/\(name)/ratio_at_smallest_alpha", ratio.first ?? .nan, units: "1", description: "excess-ℓ1 ratio at the grid's smallest α")
                doc.addScalar("/summary/\(name)/ratio_at_largest_alpha", ratio.last ?? .nan, units: "1", description: "excess-ℓ1 ratio at the grid's largest α")
                guard k > 0 else { continue }
                for alpha in c.gdAlphas {
                    context.progress.say("  width \(k), α = \(alpha)")
                    let (u, v) = gaussianInit(k: k, d: dc.d, alpha: alpha, streams: context.streams)
                    let (p, n) = FactorizedDiagonalDescent.exponents(u: u, v: v)
                    let gd = "/summary/\(name)/alpha_\(PointSpec.format(alpha))"
                    let closed = try x.minimizeExponentialPotential(y, positive: p, negative: n).solution
                    _ = describe(closed, into: gd)
                    try train(u, v, closedForm: closed, unbiasedAlpha: alpha, into: gd)
                }
            }
            doc.setDimensionScale("/curves/alpha", for: scaled)
        default:
            let alpha = c.shapeAlpha
            for family in shapeFamilies {
                for s in c.imbalances {
                    context.progress.say("  shape \(family), s = \(s)")
                    let (u, v) = shapeInit(family, alpha: alpha, s: s, d: dc.d)
                    let (p, n) = FactorizedDiagonalDescent.exponents(u: u, v: v)
                    let g = "/summary/\(family)/s_\(PointSpec.format(s))"
                    let closed = try x.minimizeExponentialPotential(y, positive: p, negative: n).solution
                    _ = describe(closed, into: g)
                    doc.addScalar("\(g)/initial_predictor_norm", Vec.norm(FactorizedDiagonalDescent.predictor(u: u, v: v)), units: "1", description: "‖β(0)‖")
                    try train(u, v, closedForm: closed, unbiasedAlpha: alpha, into: g)
                }
            }
        }
        doc.addScalar("/summary/solver_failures", Double(failures.count), units: "points", description: "closed-form solves whose residual check failed (NaN)")
        if !failures.isEmpty { doc.setAttribute("solver_failure_reasons", .string(failures.joined(separator: "\n")), on: "/summary") }
        return doc
    }
}

// MARK: Summary

extension DiagonalInitPart {
    static func summarize(_ points: [(PointSpec, HDF5Document)], config: MinimumNormConfig, into summary: inout HDF5Document) throws {
        guard let c = config.diagonalInit else { return }
        func value(_ p: (PointSpec, HDF5Document), _ key: String) throws -> Double { try p.1.required("/summary/\(key)", point: p.0.name) }
        let widths = points.filter { $0.0.experiment == .width }
        if !widths.isEmpty {
            let g = "/summary/diagonal/width"
            let names = c.widths.map { "k\($0)" } + [unbiased]
            var half: [String: [Double]] = [:]
            for name in names { half[name] = try widths.map { try value($0, "\(name)/log10_alpha_half") } }
            let reference = half[unbiased]!
            for name in names {
                summary.addSeedStatistic("\(g)/\(name)/by-seed/log10_alpha_half", SeedStatistic(half[name]!), units: "log10",
                                         description: "log10 of the α where the closed-form limit's excess-ℓ1 ratio first reaches 1/2, per seed")
                if name != unbiased {
                    summary.addSeedStatistic("\(g)/\(name)/by-seed/gap_to_unbiased", SeedStatistic(zip(half[name]!, reference).map { abs($0 - $1) }), units: "decades",
                                             description: "|log10 α½(k) − log10 α½(unbiased)|, per seed")
                }
            }
            let (narrow, wide) = (c.widths.min()!, c.widths.max()!)
            let (hn, hw) = (half["k\(narrow)"]!, half["k\(wide)"]!)
            summary.addSeedStatistic("\(g)/by-seed/shift_widest_minus_narrowest", SeedStatistic(zip(hw, hn).map { $0 - $1 }), units: "decades",
                                     description: "log10 α½(k = \(wide)) − log10 α½(k = \(narrow)), per seed (α² = kσ²/2 held fixed)")
            summary.addSeedStatistic("\(g)/by-seed/gap_narrowest_minus_widest",
                                     SeedStatistic(zip(zip(hn, hw), reference).map { abs($0.0 - $1) - abs($0.1 - $1) }), units: "decades",
                                     description: "|log10 α½(k = \(narrow)) − log10 α½(∞)| − |log10 α½(k = \(wide)) − log10 α½(∞)|, per seed")
            // σ½ = α½·√(2/k): the per-unit scale at the midpoint.
            let sigmaShift = zip(hn, hw).map { ($0 + 0.5 * log10(2 / Double(narrow))) - ($1 + 0.5 * log10(2 / Double(wide))) }
            summary.addSeedStatistic("\(g)/by-seed/log10_sigma_half_narrowest_minus_widest", SeedStatistic(sigmaShift), units: "decades",
                                     description: "log10 σ½(k = \(narrow)) − log10 σ½(k = \(wide)), σ½ = α½√(2/k) the per-unit init sd at the midpoint, per seed")
            summary.addVector("/curves/diagonal-width/width", c.widths.map(Double.init), units: "units", description: "width k")
            summary.addVector("/curves/diagonal-width/log10_alpha_half_mean", c.widths.map { SeedStatistic(half["k\($0)"]!).mean }, units: "log10",
                              description: "seed mean of log10 α½ per width")
            summary.addVector("/curves/diagonal-width/log10_alpha_half_se", c.widths.map { SeedStatistic(half["k\($0)"]!).standardError }, units: "log10",
                              description: "its standard error over seeds")
            // Mean curves over seeds.
            let alphas = c.alphas
            summary.addVector("/curves/diagonal-width/alpha", alphas, units: "1", description: "α")
            var scaled: [String] = []
            for name in names {
                var mean = [Double](repeating: 0, count: alphas.count)
                for p in widths {
                    guard case let .double(v)? = p.1.datasets["/curves/\(name)/excess_l1_ratio"]?.values else { continue }
                    for i in v.indices { mean[i] += v[i] / Double(widths.count) }
                }
                summary.addVector("/curves/diagonal-width/\(name)/excess_l1_ratio", mean, units: "1", description: "excess-ℓ1 ratio vs α, mean over seeds")
                scaled.append("/curves/diagonal-width/\(name)/excess_l1_ratio")
            }
            summary.setDimensionScale("/curves/diagonal-width/alpha", for: scaled)
            var toClosed: [Double] = [], capped = 0.0, narrowUnbiased: [Double] = [], wideUnbiased: [Double] = []
            for p in widths {
                narrowUnbiased.append(try c.gdAlphas.map { try value(p, "k\(narrow)/alpha_\(PointSpec.format($0))/gd_to_unbiased_q") }.max() ?? .nan)
                for k in c.widths {
                    for alpha in c.gdAlphas {
                        let key = "k\(k)/alpha_\(PointSpec.format(alpha))"
                        toClosed.append(try value(p, "\(key)/gd_to_closed_form"))
                        capped += try value(p, "\(key)/gd_capped")
                        if k == wide { wideUnbiased.append(try value(p, "\(key)/gd_to_unbiased_q")) }
                    }
                }
            }
            // At each GD α: the width-k limit against the unbiased one, and narrow against wide.
            for alpha in c.gdAlphas {
                let a = "alpha_\(PointSpec.format(alpha))"
                for k in c.widths {
                    for metric in ["excess_l1_ratio", "population_error", "gd_to_unbiased_q"] {
                        summary.addSeedStatistic("\(g)/k\(k)/\(a)/by-seed/\(metric)", SeedStatistic(try widths.map { try value($0, "k\(k)/\(a)/\(metric)") }),
                                                 units: "1", description: "\(metric) at width \(k), α = \(alpha), per seed")
                    }
                }
                for metric in ["excess_l1_ratio", "population_error", "gd_to_unbiased_q"] {
                    let change = try widths.map { try value($0, "k\(narrow)/\(a)/\(metric)") - value($0, "k\(wide)/\(a)/\(metric)") }
                    summary.addSeedStatistic("\(g)/\(a)/by-seed/\(metric)_narrowest_minus_widest", SeedStatistic(change), units: "1",
                                             description: "\(metric) at k = \(narrow) minus at k = \(wide), α = \(alpha), per seed")
                }
            }
            summary.addScalar("\(g)/gd_to_closed_form_max", toClosed.max() ?? .nan, units: "1",
                              description: "largest ‖β_GD − β_closed‖/‖β_closed‖ over seeds, widths and GD α")
            summary.addScalar("\(g)/gd_capped_runs", capped, units: "runs", description: "GD runs stopped by the step cap")
            summary.addScalar("\(g)/narrowest_gd_to_unbiased_min", narrowUnbiased.min() ?? .nan, units: "1",
                              description: "‖β_GD − β_Q‖/‖β_Q‖ against the unbiased Q_α at the narrowest width: largest over GD α, smallest over seeds")
            summary.addScalar("\(g)/widest_gd_to_unbiased_max", wideUnbiased.max() ?? .nan, units: "1",
                              description: "largest ‖β_GD − β_Q‖/‖β_Q‖ against the unbiased Q_α at the widest width (over seeds and GD α)")
            let missing = half.values.reduce(0) { $0 + $1.filter { !$0.isFinite }.count }
            summary.addScalar("\(g)/alpha_half_off_grid", Double(missing), units: "cases", description: "(seed, width) pairs whose crossing is not inside the α grid")
            summary.addScalar("\(g)/rich_end_ratio_max", try widths.flatMap { p in try names.map { try value(p, "\($0)/ratio_at_smallest_alpha") } }.max()!,
                              units: "1", description: "largest excess-ℓ1 ratio at the grid's smallest α (over seeds and widths)")
            summary.addScalar("\(g)/unbiased_kernel_end_ratio_min", try widths.map { try value($0, "\(unbiased)/ratio_at_largest_alpha") }.min()!,
                              units: "1", description: "smallest excess-ℓ1 ratio of the unbiased Q_α at the grid's largest α (over seeds)")
            summary.addScalar("\(g)/solver_failures", try widths.map { try value($0, "solver_failures") }.reduce(0, +), units: "solves",
                              description: "closed-form solves that failed their residual check")
            summary.addScalar("\(g)/seeds", Double(widths.count), units: "seeds", description: "instances (seeds)")
        }
        let shapes = points.filter { $0.0.experiment == .shape }
        if !shapes.isEmpty {
            let g = "/summary/diagonal/shape"
            let balanced = "s_\(PointSpec.format(1))"
            var toClosed: [Double] = [], capped = 0.0, unbiasedDistance: [Double] = []
            for family in shapeFamilies {
                for s in c.imbalances {
                    let key = "\(family)/s_\(PointSpec.format(s))"
                    for metric in ["excess_l1_ratio", "q_to_l1", "population_error"] {
                        summary.addSeedStatistic("\(g)/\(key)/by-seed/\(metric)", SeedStatistic(try shapes.map { try value($0, "\(key)/\(metric)") }),
                                                 units: "1", description: "\(metric) of the closed-form limit at imbalance s = \(s), per seed")
                    }
                    for p in shapes {
                        toClosed.append(try value(p, "\(key)/gd_to_closed_form"))
                        capped += try value(p, "\(key)/gd_capped")
                        if s != 1 { unbiasedDistance.append(try value(p, "\(key)/gd_to_unbiased_q")) }
                    }
                    guard s != 1 else { continue }
                    for (metric, gain) in [("excess_l1_ratio", "ratio_gain"), ("q_to_l1", "l1_distance_gain"), ("population_error", "population_error_gain")] {
                        let change = try shapes.map { try value($0, "\(key)/\(metric)") - value($0, "\(family)/\(balanced)/\(metric)") }
                        summary.addSeedStatistic("\(g)/\(key)/by-seed/\(gain)", SeedStatistic(change), units: "1",
                                                 description: "\(metric) at s = \(s) minus at s = 1 (balanced), per seed")
                    }
                }
            }
            summary.addScalar("\(g)/gd_to_closed_form_max", toClosed.max() ?? .nan, units: "1",
                              description: "largest ‖β_GD − β_closed‖/‖β_closed‖ over seeds, families and imbalances")
            summary.addScalar("\(g)/gd_capped_runs", capped, units: "runs", description: "GD runs stopped by the step cap")
            summary.addScalar("\(g)/unbalanced_gd_to_unbiased_min", unbiasedDistance.min() ?? .nan, units: "1",
                              description: "smallest ‖β_GD − β_Q‖/‖β_Q‖ against the balanced Q_α at s ≠ 1 (over seeds, families, imbalances)")
            let ratios = try shapes.map { try value($0, "layers/\(balanced)/excess_l1_ratio") }
            summary.addScalar("\(g)/balanced_ratio_min", ratios.min()!, units: "1", description: "smallest excess-ℓ1 ratio at s = 1 over seeds")
            summary.addScalar("\(g)/balanced_ratio_max", ratios.max()!, units: "1", description: "largest excess-ℓ1 ratio at s = 1 over seeds")
            summary.addScalar("\(g)/solver_failures", try shapes.map { try value($0, "solver_failures") }.reduce(0, +), units: "solves",
                              description: "closed-form solves that failed their residual check")
            summary.addScalar("\(g)/seeds", Double(shapes.count), units: "seeds", description: "instances (seeds)")
        }
    }
}
