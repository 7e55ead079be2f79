import Foundation
import ImplicitRegCore
import ReadingSupport

/// Arora et al. 2019: on matrix completion, deep factorizations W = W_N⋯W₁ from small
/// initialisation find lower effective rank and lower error than minimum nuclear norm, more so
/// with depth, while their nuclear norm is above the minimum.
enum MatrixFactorizationPart {
    static func points(_ config: MinimumNormConfig) -> [PointSpec] {
        let c = config.matrixFactorization
        var out: [PointSpec] = []
        for (i, inst) in c.instances.enumerated() {
            for s in inst.seeds {
                let seed = config.seed &+ s
                out.append(.nuclear(instance: i, seed: seed))
                for depth in inst.depths {
                    for initNorm in inst.inits(depth) {
                        out.append(.factorization(instance: i, depth: depth, initNorm: initNorm, seed: seed))
                    }
                }
            }
        }
        out.append(.dynamics(seed: config.seed))
        return out + CompletionCurve.points(config)
    }

    static func estimatedCost(_ point: PointSpec, config: MinimumNormConfig) -> Double {
        let c = config.matrixFactorization
        switch point {
        case let .nuclear(i, _):
            let n = Double(c.instances[i].size)
            return 1000 * 10 * n * n * n / 1e9
        case let .factorization(i, depth, initNorm, _):
            let n = Double(c.instances[i].size)
            return 2e4 * (1 + 0.2 * log10(1 / initNorm)) * 4 * Double(depth) * 2 * n * n * n / 4e10 + 2e4 * 20e-6
        case let .completionCurve(m, _):
            return CompletionCurve.estimatedCost(m, config: config)
        default:
            return 5
        }
    }

    /// W* (rank r, ‖W*‖_F = n) and Ω: streams "completion-truth" and "completion-mask".
    static func instance(_ inst: CompletionInstanceConfig, streams: RandomStreams) -> (truth: Matrix<Double>, observed: [Int], values: [Double]) {
        return instance(size: inst.size, rank: inst.rank, observed: inst.observed, streams: streams)
    }

    static func instance(size: Int, rank: Int, observed: Int, streams: RandomStreams) -> (truth: Matrix<Double>, observed: [Int], values: [Double]) {
        var truthRNG = streams.stream("completion-truth")
        let truth = SyntheticData.lowRankMatrix(rows: size, cols: size, rank: rank, using: &truthRNG)
        var maskRNG = streams.stream("completion-mask")
        let omega = SyntheticData.observationMask(rows: size, cols: size, observed: observed, using: &maskRNG)
        return (truth, omega, omega.map { truth.storage[$0] })
    }

    static func relativeError(_ w: Matrix<Double>, _ truth: Matrix<Double>) -> Double {
        let d = zip(w.storage, truth.storage).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        return d / pow(truth.frobeniusNorm, 2)
    }

    /// Another completion setting whose W* a point's equals: its index in
    /// matrix_factorization.instances, its name and the seed they share.
    struct TruthSource: Equatable {
        var instance: Int
        var name: String
        var seed: UInt64
    }

    /// W* comes from the seed's stream "completion-truth" alone, so settings of the same size and
    /// rank drawn with the same seed have the same W* (Ω, drawn for its own m, differs): in the
    /// full profile the 5,000-entry instance at seed 0 has the 2,000-entry one's W*, and the
    /// singular-value dynamics the 20×20 rank-2 instance's. The first of `instances[..<before]`
    /// (all of them for the dynamics) with this size and rank that runs `seed`, if any.
    static func truthSource(size: Int, rank: Int, seed: UInt64, before: Int, config: MinimumNormConfig) -> TruthSource? {
        let instances = config.matrixFactorization.instances
        for (j, other) in instances.enumerated().prefix(before) where other.size == size && other.rank == rank {
            if other.seeds.contains(where: { config.seed &+ $0 == seed }) { return TruthSource(instance: j, name: other.name, seed: seed) }
        }
        return nil
    }

    static func addInstance(_ doc: inout HDF5Document, truth: Matrix<Double>, observed: [Int], values: [Double], truthSource: TruthSource? = nil) {
        var truthDescription = "ground truth W* (rank r, ‖W*‖_F = n)"
        if let source = truthSource {
            truthDescription += "; the same matrix as instance \(source.instance) (\(source.name)) at seed \(source.seed), points mf-i\(source.instance)-seed\(source.seed)-*: "
                + "W* is drawn from the seed's stream completion-truth alone, so equal size, rank and seed give the same W* "
                + "(attributes W_star_reused_from_instance and W_star_reused_from_seed of /instance); Ω is drawn anew"
            doc.setAttribute("W_star_reused_from_instance", .int(Int64(source.instance)), on: "/instance")
            doc.setAttribute("W_star_reused_from_seed", .int(Int64(truncatingIfNeeded: source.seed)), on: "/instance")
            doc.setAttribute("W_star_reused_from", .string("mf-i\(source.instance)-seed\(source.seed) (matrix_factorization.instances[\(source.instance)], \(source.name))"), on: "/instance")
        }
        doc.addMatrix("/instance/W_star", truth, units: "1", description: truthDescription)
        doc.addDataset("/instance/observed", .int64(observed.map(Int64.init)), units: "1", description: "observed entries Ω as linear indices r·n + c")
        let n = truth.cols
        doc.addDataset("/instance/observed_entries", .int64(observed.flatMap { [Int64($0 / n), Int64($0 % n)] }), shape: [observed.count, 2], units: "index",
                       description: "observed entries Ω as 0-based (row, column) pairs of W*, one per row, in the order of /instance/observed and /instance/values")
        doc.addVector("/instance/values", values, units: "1", description: "observed values M_Ω")
    }

    static func addMatrixSummary(_ doc: inout HDF5Document, _ w: Matrix<Double>, truth: Matrix<Double>) throws {
        doc.addScalar("/summary/error", relativeError(w, truth), units: "1", description: "‖W − W*‖²_F/‖W*‖²_F")
        doc.addScalar("/summary/effective_rank", try w.effectiveRank(), units: "1", description: "exp(H(σ/Σσ)) of the solution")
        doc.addScalar("/summary/nuclear_norm", try w.nuclearNorm(), units: "1", description: "‖W‖_* of the solution")
        doc.addScalar("/summary/truth_effective_rank", try truth.effectiveRank(), units: "1", description: "effective rank of W*")
        doc.addScalar("/summary/truth_nuclear_norm", try truth.nuclearNorm(), units: "1", description: "‖W*‖_*")
    }

    static func run(_ point: PointSpec, config: MinimumNormConfig, context: RunContext) throws -> HDF5Document {
        let c = config.matrixFactorization
        let streams = context.streams
        switch point {
        case let .nuclear(i, seed):
            let inst = c.instances[i]
            let (truth, omega, values) = instance(inst, streams: streams)
            let s = try Matrix<Double>.minimumNuclearNormCompletion(rows: inst.size, cols: inst.size, observed: omega, values: values)
            var doc = HDF5Document()
            addInstance(&doc, truth: truth, observed: omega, values: values,
                        truthSource: truthSource(size: inst.size, rank: inst.rank, seed: seed, before: i, config: config))
            doc.addMatrix("/solutions/minimum_nuclear_norm", s.solution, units: "1", description: "argmin ‖Z‖_* s.t. Z_Ω = M_Ω (ADMM with SVT, certified)")
            try addMatrixSummary(&doc, s.solution, truth: truth)
            doc.addScalar("/summary/certificate_spectral_norm", s.certificateSpectralNorm, units: "1", description: "‖Y‖_op of the dual certificate (≤ 1 + 1e-6)")
            doc.addScalar("/summary/admm_iterations", Double(s.iterations), units: "iterations", description: "ADMM iterations")
            return doc
        case let .factorization(i, depth, initNorm, seed):
            let inst = c.instances[i]
            return try runFactorization(instance: i, depth: depth, initNorm: initNorm, config: c, streams: streams, context: context,
                                        truthSource: truthSource(size: inst.size, rank: inst.rank, seed: seed, before: i, config: config))
        case let .completionCurve(m, seed):
            let curve = c.completionCurve
            return try CompletionCurve.run(observed: m, config: config, context: context,
                                           truthSource: curve.flatMap { truthSource(size: $0.size, rank: $0.rank, seed: seed, before: c.instances.count, config: config) })
        default:
            let d = c.dynamics
            return try runDynamics(c, streams: streams, context: context,
                                   truthSource: truthSource(size: d.size, rank: d.rank, seed: point.seed, before: c.instances.count, config: config))
        }
    }

    /// GD from the authors' Gaussian initialisation until the loss stop or the step cap.
    static func train(truth: Matrix<Double>, observed: [Int], values: [Double], depth: Int, initNorm: Double, stepFactor: Double,
                      config c: MatrixFactorizationConfig, streams: RandomStreams, record: Bool)
        throws -> (w: Matrix<Double>, steps: Int, initRatio: Double, curves: [String: [Double]]) {
        let n = truth.rows
        var rng = streams.stream("init-D\(depth)-\(initNorm)")
        var model = DeepMatrixFactorization(factors: DeepMatrixFactorization.gaussianFactors(size: n, depth: depth, endToEndNorm: initNorm, using: &rng),
                                            observed: observed, values: values)
        let initRatio = model.endToEnd.frobeniusNorm / initNorm
        let sigma1 = try truth.spectralNorm()
        let eta = stepFactor * Double(observed.count) / (2 * Double(depth) * pow(sigma1, 2 - 2 / Double(depth)))
        let target = c.stopLoss * values.reduce(0) { $0 + $1 * $1 } / Double(values.count)
        var curves: [String: [Double]] = [:]
        let k = min(n, 2 * max(1, (try? truth.singularValues().filter { $0 > 1e-9 * sigma1 }.count) ?? 1))
        var steps = 0
        while steps < c.maxSteps {
            if record, steps % c.recordEvery == 0 {
                let w = model.endToEnd
                curves["step", default: []].append(Double(steps))
                curves["loss", default: []].append(model.loss(w))
                let s = try w.singularValues()
                for r in 0..<k { curves["sigma_\(r + 1)", default: []].append(s[r]) }
            }
            let loss = model.step(learningRate: eta)
            guard loss.isFinite else { throw TrainingError.diverged(epoch: 0, step: steps, loss: loss, learningRate: eta) }
            if loss <= target { break }
            steps += 1
        }
        return (model.endToEnd, steps, initRatio, curves)
    }

    static func runFactorization(instance i: Int, depth: Int, initNorm: Double, config c: MatrixFactorizationConfig, streams: RandomStreams, context: RunContext,
                                 truthSource: TruthSource?) throws -> HDF5Document {
        let inst = c.instances[i]
        let (truth, omega, values) = instance(inst, streams: streams)
        context.progress.say("  \(inst.name), depth \(depth), ‖W(0)‖_F = \(initNorm)")
        let run = try train(truth: truth, observed: omega, values: values, depth: depth, initNorm: initNorm, stepFactor: c.stepFactor,
                            config: c, streams: streams, record: true)
        // The authors' initialisation norm, checked: a factor 2 either way (n = 20 fluctuates).
        guard run.initRatio > 0.5 && run.initRatio < 2 else {
            throw SolverCertificateError(solver: "gaussianFactors", check: "‖W(0)‖_F / init", value: run.initRatio, bound: 2)
        }
        var doc = HDF5Document()
        addInstance(&doc, truth: truth, observed: omega, values: values, truthSource: truthSource)
        doc.addMatrix("/solutions/end_to_end", run.w, units: "1", description: "W = W_N⋯W₁ at the stop")
        for (name, values) in run.curves.sorted(by: { $0.key < $1.key }) {
            doc.addVector("/curves/\(name)", values, units: name == "step" ? "steps" : "1",
                          description: name == "step" ? "GD step" : (name == "loss" ? "(1/m)Σ_Ω(W − M)²" : "singular value \(name.dropFirst(6)) of W"))
        }
        try addMatrixSummary(&doc, run.w, truth: truth)
        doc.addScalar("/summary/steps", Double(run.steps), units: "steps", description: "GD steps to the loss stop (or the cap)")
        doc.addScalar("/summary/init_ratio", run.initRatio, units: "1", description: "‖W(0)‖_F / requested init (authors: ±20 %)")
        if inst.halvedStepDepths.contains(depth), initNorm == inst.inits(depth).min() {
            let half = try train(truth: truth, observed: omega, values: values, depth: depth, initNorm: initNorm, stepFactor: c.stepFactor / 2,
                                 config: c, streams: streams, record: false)
            doc.addScalar("/summary/halved_step_change", relativeError(half.w, run.w).squareRoot(), units: "1",
                          description: "‖W(η/2) − W(η)‖_F/‖W(η)‖_F: the result does not depend on the step")
        }
        return doc
    }

    // MARK: Singular-value dynamics

    static func runDynamics(_ c: MatrixFactorizationConfig, streams: RandomStreams, context: RunContext, truthSource: TruthSource?) throws -> HDF5Document {
        let d = c.dynamics
        let (truth, omega, values) = instance(size: d.size, rank: d.rank, observed: d.observed, streams: streams)
        let n = d.size, depth = d.depth
        let sigma = (0..<n).map { d.initScale * Double(n - $0) / Double(n) }
        var rng = streams.stream(.initialization)
        let factors = try DeepMatrixFactorization.balancedFactors(size: n, depth: depth, singularValues: sigma, using: &rng)
        let sigma1 = try truth.spectralNorm()
        let standard = c.stepFactor * Double(d.observed) / (2 * Double(depth) * pow(sigma1, 2 - 2 / Double(depth)))
        var doc = HDF5Document()
        addInstance(&doc, truth: truth, observed: omega, values: values, truthSource: truthSource)
        var errors: [Double] = [], wrong: [Double] = []
        for (k, fraction) in d.stepFractions.enumerated() {
            let eta = fraction * standard
            var model = DeepMatrixFactorization(factors: factors, observed: omega, values: values)
            let totalSteps = Int((d.horizon / fraction).rounded())
            let every = max(1, totalSteps / d.checkpoints)
            var worst = 0.0, worstWrong = 0.0
            var times: [Double] = [], trajectories = [[Double]](repeating: [], count: d.rank)
            for step in 0..<totalSteps {
                if step % every == 0 {
                    let w = model.endToEnd
                    let svd = try w.svd()
                    let g = model.lossGradient(w)
                    var before = model
                    before.step(learningRate: eta)
                    let after = try before.endToEnd.singularValues()
                    var num = 0.0, den = 0.0, numWrong = 0.0
                    for r in 0..<d.rank {
                        // ⟨G, u_r v_rᵀ⟩ = u_rᵀ G v_r
                        var inner = 0.0
                        for i in 0..<n {
                            var gv = 0.0
                            for j in 0..<n { gv += g[i, j] * svd.vt[r, j] }
                            inner += svd.u[i, r] * gv
                        }
                        let s = svd.singularValues[r]
                        let formula = -Double(depth) * pow(s * s, 1 - 1 / Double(depth)) * inner
                        let fd = (after[r] - s) / eta
                        num += (fd - formula) * (fd - formula)
                        den += formula * formula
                        numWrong += (fd + inner) * (fd + inner)  // the depth-1 formula −⟨G, u_r v_rᵀ⟩
                        trajectories[r].append(s)
                    }
                    times.append(Double(step) * eta)
                    worst = max(worst, (num / den).squareRoot())
                    worstWrong = max(worstWrong, (numWrong / den).squareRoot())
                }
                model.step(learningRate: eta)
            }
            errors.append(worst)
            wrong.append(worstWrong)
            doc.addVector("/curves/eta\(k)/time", times, units: "η·steps", description: "gradient-flow time at the checkpoints")
            for r in 0..<d.rank {
                doc.addVector("/curves/eta\(k)/sigma_\(r + 1)", trajectories[r], units: "1", description: "σ_\(r + 1)(W) at the checkpoints")
            }
        }
        doc.addVector("/curves/step_fraction", d.stepFractions, units: "1", description: "η as a fraction of the standard step")
        doc.addScalar("/summary/ode_error_large_step", errors[0], units: "1",
                      description: "max over checkpoints of ‖FD rate − ODE rate‖/‖ODE rate‖ over the top r singular values, larger step")
        doc.addScalar("/summary/ode_error_small_step", errors[1], units: "1", description: "the same, smaller step")
        doc.addScalar("/summary/ode_error_ratio", errors[0] / errors[1], units: "1", description: "error at the larger step over the smaller (first order: the step ratio)")
        doc.addScalar("/summary/wrong_formula_error", wrong[1], units: "1", description: "the same error for the depth-1 formula −⟨∇ℓ, u_r v_rᵀ⟩, smaller step")
        return doc
    }

    // MARK: Summary

    static func summarize(_ points: [(PointSpec, HDF5Document)], config: MinimumNormConfig, into summary: inout HDF5Document) throws {
        guard !points.isEmpty else { return }
        let c = config.matrixFactorization
        func value(_ p: (PointSpec, HDF5Document), _ key: String) throws -> Double { try p.1.required("/summary/\(key)", point: p.0.name) }
        for (i, inst) in c.instances.enumerated() {
            let mine = points.filter { $0.0.instance == i }
            guard !mine.isEmpty else { continue }
            let g = "/summary/mf/\(inst.name)"
            func smallest(_ depth: Int) -> Double { inst.inits(depth).min() ?? .nan }
            let nuclear = mine.filter { $0.0.experiment == .nuclear }
            func worst(_ runs: [(PointSpec, HDF5Document)], _ key: String, _ f: ([Double]) -> Double?) throws -> Double {
                f(try runs.map { try value($0, key) }) ?? .nan
            }
            summary.addScalar("\(g)/nuclear_error_min", try worst(nuclear, "error") { $0.min() }, units: "1", description: "smallest error of minimum nuclear norm over seeds (regime check)")
            summary.addScalar("\(g)/nuclear_error_max", try worst(nuclear, "error") { $0.max() }, units: "1", description: "largest error of minimum nuclear norm over seeds")
            // Per seed comparisons at the smallest init.
            var errD3Max = 0.0, errRatioMax = 0.0, erankGapMax = 0.0, nucRatioMin = Double.infinity
            var ordered = true, d2BeatsNuclear = true, d2ErankDecreasing = true, recovered = 0
            var sweepNuclear = true, sweepError = true, sweepErank = true, d2NucRatioMin = Double.infinity
            var errByDepth: [Int: [Double]] = [:], changes: [Double] = []
            // One value per seed, for seed statistics (mean ± k SE) and per-seed fractions.
            var erankD2MinusD3: [Double] = [], erankNucMinusD2: [Double] = [], d3NucRatio: [Double] = []
            var errNucMinusD2: [Double] = [], d2ErankDropMin: [Double] = [], d3Log10Error: [Double] = []
            var d2NucRatio: [Double] = [], d2NucLargestInit: [Double] = [], d2NucSmallestInit: [Double] = []
            var orderedSeeds = 0, d3AboveSeeds = 0, d2BeatsSeeds = 0, d2RisesSeeds = 0
            var log10ErrorByDepth: [Int: [Double]] = [:]
            for s in inst.seeds {
                let seed = config.seed &+ s
                let runs = mine.filter { $0.0.seed == seed }
                guard let nuc = runs.first(where: { $0.0.experiment == .nuclear }) else { continue }
                let nucErr = try value(nuc, "error"), nucErank = try value(nuc, "effective_rank"), nucNorm = try value(nuc, "nuclear_norm")
                let truthErank = try value(nuc, "truth_effective_rank")
                func at(_ depth: Int, _ initNorm: Double) -> (PointSpec, HDF5Document)? {
                    runs.first { $0.0 == .factorization(instance: i, depth: depth, initNorm: initNorm, seed: seed) }
                }
                for depth in inst.depths {
                    if let r = at(depth, smallest(depth)) {
                        errByDepth[depth, default: []].append(try value(r, "error"))
                        log10ErrorByDepth[depth, default: []].append(log10(try value(r, "error")))
                    }
                    if let r = at(depth, smallest(depth)), let ch = r.1.scalar("/summary/halved_step_change") { changes.append(ch) }
                }
                if let d3 = at(3, smallest(3)) {
                    let e = try value(d3, "error")
                    errD3Max = max(errD3Max, e)
                    if e <= 1e-4 { recovered += 1 }
                    errRatioMax = max(errRatioMax, e / nucErr)
                    erankGapMax = max(erankGapMax, abs(try value(d3, "effective_rank") - truthErank))
                    nucRatioMin = min(nucRatioMin, try value(d3, "nuclear_norm") / nucNorm)
                    d3NucRatio.append(try value(d3, "nuclear_norm") / nucNorm)
                    if d3NucRatio.last! >= 1.001 { d3AboveSeeds += 1 }
                    d3Log10Error.append(log10(e))
                    if let d2 = at(2, smallest(2)) {
                        let e3 = try value(d3, "effective_rank"), e2 = try value(d2, "effective_rank")
                        ordered = ordered && e3 < e2 && e2 < nucErank
                        if e3 < e2 && e2 < nucErank { orderedSeeds += 1 }
                        erankD2MinusD3.append(e2 - e3)
                        erankNucMinusD2.append(nucErank - e2)
                    }
                }
                if let d2 = at(2, smallest(2)) {
                    d2NucRatioMin = min(d2NucRatioMin, try value(d2, "nuclear_norm") / nucNorm)
                    d2NucRatio.append(try value(d2, "nuclear_norm") / nucNorm)
                    let e2 = try value(d2, "error")
                    d2BeatsNuclear = d2BeatsNuclear && e2 < nucErr
                    if e2 < nucErr { d2BeatsSeeds += 1 }
                    errNucMinusD2.append(nucErr - e2)
                }
                let sweep = inst.inits(2).sorted(by: >).compactMap { at(2, $0) }
                let d2Eranks = try sweep.map { try value($0, "effective_rank") }
                if d2Eranks.count >= 2 { d2ErankDropMin.append(zip(d2Eranks, d2Eranks.dropFirst()).map { $0 - $1 }.min()!) }
                if let first = sweep.first, let last = sweep.last, sweep.count >= 2 {
                    d2NucLargestInit.append(try value(first, "nuclear_norm"))
                    d2NucSmallestInit.append(try value(last, "nuclear_norm"))
                    if d2NucSmallestInit.last! > d2NucLargestInit.last! { d2RisesSeeds += 1 }
                }
                d2ErankDecreasing = d2ErankDecreasing && zip(d2Eranks, d2Eranks.dropFirst()).allSatisfy { $0 > $1 }
                sweepErank = sweepErank && zip(d2Eranks, d2Eranks.dropFirst()).allSatisfy { $0 >= $1 }
                let d2Errors = try sweep.map { try value($0, "error") }, d2Nuclear = try sweep.map { try value($0, "nuclear_norm") }
                sweepError = sweepError && zip(d2Errors, d2Errors.dropFirst()).allSatisfy { $0 >= $1 }
                sweepNuclear = sweepNuclear && zip(d2Nuclear, d2Nuclear.dropFirst()).allSatisfy { $0 <= $1 }
            }
            if inst.depths.contains(3) {
                summary.addScalar("\(g)/depth3_error_max", errD3Max, units: "1", description: "largest depth-3 error at the smallest init over seeds")
                summary.addScalar("\(g)/depth3_to_nuclear_error_ratio_max", errRatioMax, units: "1", description: "largest err(depth 3)/err(min nuclear) over seeds")
                summary.addScalar("\(g)/depth3_erank_gap_max", erankGapMax, units: "1", description: "largest |erank(depth 3) − erank(W*)| over seeds")
                summary.addScalar("\(g)/depth3_nuclear_ratio_min", nucRatioMin, units: "1", description: "smallest ‖W_depth3‖_*/‖W_nuc‖_* over seeds (> 1: above the minimum)")
                summary.addScalar("\(g)/depth3_recovered_fraction", Double(recovered) / Double(inst.seeds.count), units: "1",
                                  description: "fraction of seeds where depth 3 at the smallest init reaches error ≤ 1e-4")
                summary.addScalar("\(g)/erank_ordered", ordered ? 1 : 0, units: "1", description: "1 if erank(depth 3) < erank(depth 2) < erank(min nuclear) on every seed (smallest init)")
            }
            if inst.depths.contains(2) {
                summary.addScalar("\(g)/depth2_beats_nuclear", d2BeatsNuclear ? 1 : 0, units: "1", description: "1 if err(depth 2) < err(min nuclear) on every seed at the smallest init")
                summary.addScalar("\(g)/depth2_sweep_error_erank_monotone", sweepErank && sweepError ? 1 : 0, units: "1",
                                  description: "1 if, as depth 2's init shrinks, its error and effective rank never rise (every seed)")
                summary.addScalar("\(g)/depth2_nuclear_ratio_min", d2NucRatioMin, units: "1",
                                  description: "smallest ‖W_depth2‖_*/‖W_nuc‖_* at depth 2's smallest init over seeds (> 1: above the minimum)")
                summary.addScalar("\(g)/depth2_sweep_nuclear_nondecreasing", sweepNuclear ? 1 : 0, units: "1",
                                  description: "1 if depth 2's nuclear norm never falls as its init shrinks (every seed)")
                summary.addScalar("\(g)/depth2_erank_decreasing", d2ErankDecreasing ? 1 : 0, units: "1", description: "1 if depth 2's effective rank falls strictly as the init shrinks, every seed")
            }
            let seedCount = Double(inst.seeds.count)
            summary.addScalar("\(g)/seed_count", seedCount, units: "seeds", description: "number of seeds (instances) of this setting")
            func statistic(_ name: String, _ values: [Double], _ description: String) {
                guard !values.isEmpty else { return }
                summary.addSeedStatistic("\(g)/by-seed/\(name)", SeedStatistic(values), units: "1", description: description)
            }
            statistic("depth2_minus_depth3_erank", erankD2MinusD3, "erank(depth 2) − erank(depth 3) at the smallest init")
            statistic("nuclear_minus_depth2_erank", erankNucMinusD2, "erank(min nuclear) − erank(depth 2) at the smallest init")
            statistic("depth3_nuclear_ratio", d3NucRatio, "‖W_depth3‖_* / min ‖W‖_* at the smallest init")
            statistic("depth3_log10_error", d3Log10Error, "log10 of depth 3's error ‖W − W*‖²_F/‖W*‖²_F at the smallest init")
            statistic("nuclear_minus_depth2_error", errNucMinusD2, "err(min nuclear) − err(depth 2) at depth 2's smallest init")
            statistic("depth2_erank_drop_min", d2ErankDropMin, "smallest drop of depth 2's effective rank between consecutive inits of its sweep")
            statistic("depth2_nuclear_ratio", d2NucRatio, "‖W_depth2‖_* / min ‖W‖_* at depth 2's smallest init")
            if d2NucLargestInit.count == d2NucSmallestInit.count, !d2NucLargestInit.isEmpty {
                statistic("depth2_nuclear_change", zip(d2NucSmallestInit, d2NucLargestInit).map { $0 - $1 },
                          "depth 2's nuclear norm at its smallest init minus at its largest (> 0: rises as the init shrinks)")
                summary.addVector("\(g)/depth2_nuclear_largest_init", d2NucLargestInit, units: "1", description: "depth 2's ‖W‖_* at its largest init, one value per seed")
                summary.addVector("\(g)/depth2_nuclear_smallest_init", d2NucSmallestInit, units: "1", description: "depth 2's ‖W‖_* at its smallest init, one value per seed")
                summary.addScalar("\(g)/depth2_nuclear_rises_fraction", Double(d2RisesSeeds) / seedCount, units: "1",
                                  description: "fraction of seeds where depth 2's nuclear norm is larger at its smallest init than at its largest")
            }
            for (depth, values) in log10ErrorByDepth where depth != 3 {
                statistic("depth\(depth)_log10_error", values, "log10 of depth \(depth)'s error at its smallest init")
            }
            if inst.depths.contains(3) {
                summary.addScalar("\(g)/erank_ordered_fraction", Double(orderedSeeds) / seedCount, units: "1",
                                  description: "fraction of seeds with erank(depth 3) < erank(depth 2) < erank(min nuclear) at the smallest init")
                summary.addScalar("\(g)/depth3_nuclear_above_fraction", Double(d3AboveSeeds) / seedCount, units: "1",
                                  description: "fraction of seeds with ‖W_depth3‖_* ≥ 1.001 · min ‖W‖_*")
            }
            if inst.depths.contains(2) {
                summary.addScalar("\(g)/depth2_beats_nuclear_fraction", Double(d2BeatsSeeds) / seedCount, units: "1",
                                  description: "fraction of seeds with err(depth 2) < err(min nuclear) at the smallest init")
            }
            for (depth, errs) in errByDepth {
                summary.addScalar("\(g)/depth\(depth)_error_smallest_init_max", errs.max()!, units: "1", description: "largest error of depth \(depth) at the smallest init over seeds")
            }
            if !changes.isEmpty {
                summary.addScalar("\(g)/halved_step_change_max", changes.max()!, units: "1", description: "largest ‖W(η/2) − W(η)‖_F/‖W(η)‖_F")
            }
            // Curves for the figure: error and effective rank vs init per depth (first seed).
            let first = config.seed &+ inst.seeds[0]
            for depth in inst.depths {
                let runs = mine.compactMap { p -> (initNorm: Double, run: (PointSpec, HDF5Document))? in
                    guard case let .factorization(_, d, initNorm, seed) = p.0, seed == first, d == depth else { return nil }
                    return (initNorm, p)
                }.sorted { $0.initNorm > $1.initNorm }.map { ($0.initNorm, $0.run) }
                summary.addVector("/curves/mf/\(inst.name)/depth\(depth)/init", runs.map(\.0), units: "1", description: "‖W(0)‖_F")
                summary.addVector("/curves/mf/\(inst.name)/depth\(depth)/error", try runs.map { try value($0.1, "error") }, units: "1", description: "‖W − W*‖²_F/‖W*‖²_F")
                summary.addVector("/curves/mf/\(inst.name)/depth\(depth)/effective_rank", try runs.map { try value($0.1, "effective_rank") }, units: "1", description: "effective rank")
                summary.addVector("/curves/mf/\(inst.name)/depth\(depth)/nuclear_norm", try runs.map { try value($0.1, "nuclear_norm") }, units: "1", description: "‖W‖_*")
                summary.setDimensionScale("/curves/mf/\(inst.name)/depth\(depth)/init")
            }
            if let nuc = nuclear.first(where: { $0.0.seed == first }) {
                for key in ["error", "effective_rank", "nuclear_norm", "truth_effective_rank", "truth_nuclear_norm"] {
                    summary.addScalar("/curves/mf/\(inst.name)/nuclear/\(key)", try value(nuc, key), units: "1", description: "minimum nuclear norm (first seed): \(key)")
                }
            }
        }
        try CompletionCurve.summarize(points, config: config, into: &summary)
        if let dyn = points.first(where: { $0.0.experiment == .dynamics }) {
            for key in ["ode_error_large_step", "ode_error_small_step", "ode_error_ratio", "wrong_formula_error"] {
                summary.addScalar("/summary/mf/dynamics/\(key)", try value(dyn, key), units: "1", description: "see the point file")
            }
        }
    }
}
