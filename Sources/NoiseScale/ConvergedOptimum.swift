import Foundation
import ImplicitRegCore

/// B_opt among converged runs, with the controls that keep a training failure from passing for
/// "generalises worse", and the tests that tell the noise scale from a stability edge.
///
/// Per curve (ε, m, N, weight decay): a batch size counts when every seed's run converged (final
/// training loss ≤ `converged_train_loss`, not diverged); B_opt is the parabola in ln B through the
/// best converged B and its neighbours; it is **censored** when that B sits at an end of the grid or
/// a grid neighbour did not converge (the true optimum may lie beyond). Across curves: the slope of
/// ln B_opt on ln(factor) over the uncensored curves, with a separate intercept per family (curves
/// that differ in something else than the factor), and its bootstrap standard error over seeds.
///
/// The collapse test (sweeps with several N): on every converged cell (curve, B), seed-mean test
/// accuracy minus its N's mean, fitted by a parabola in ln g (g = εN/(B(1 − m)), the noise scale)
/// and in ln(ε/(B(1 − m))) (the same without N: what an optimisation-stability edge depends on).
/// Smith & Le predict that g explains more: R²(g) − R²(ε/B) > 0.
enum ConvergedOptimum {
    /// One curve's runs: test accuracy and the last-fifth change per B and seed, and convergence.
    struct Curve {
        var point: TrainingPoint
        var batchSizes: [Int]
        var accuracy: [[UInt64: Double]]
        var lastFifth: [[UInt64: Double]]
        var converged: [Bool]
        var convergedSeeds: [Int]

        /// Seed-mean accuracy at B index `i` over `seeds` (a multiset; seeds absent at i are skipped).
        func mean(_ i: Int, _ seeds: [UInt64]) -> Double {
            let v = seeds.compactMap { accuracy[i][$0] }
            return v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count)
        }

        /// B_opt over the converged batch sizes with the seed multiset `seeds`; the peak's grid index.
        func optimum(_ seeds: [UInt64]) -> (location: Double, index: Int, censored: Bool)? {
            let usable = batchSizes.indices.filter { converged[$0] }
            guard !usable.isEmpty else { return nil }
            let peak = ParabolicPeak(x: usable.map { Double(batchSizes[$0]) }, y: usable.map { mean($0, seeds) })
            let i = usable[peak.index]
            let censored = !peak.interior || i == 0 || i == batchSizes.count - 1 || !converged[i - 1] || !converged[i + 1]
            return (peak.location, i, censored)
        }

        /// The family: everything but the factor the sweep varies.
        func family(_ varies: SweepFactor) -> String {
            var p = point
            switch varies {
            case .learningRate: p.learningRate = 0
            case .momentum: p.momentum = 0
            case .trainSize: p.trainSize = 0
            case .weightDecay: p.weightDecay = 0
            }
            return p.curve
        }
    }

    static func curves(_ runs: [(TrainingPoint, RunResult)], sweep: SweepConfig) -> [Curve] {
        var names: [String] = []
        for (p, _) in runs where !names.contains(p.curve) { names.append(p.curve) }
        return names.map { name in
            let members = runs.filter { $0.0.curve == name }
            let bs = Array(Set(members.map { $0.0.batchSize })).sorted()
            var acc: [[UInt64: Double]] = [], fifth: [[UInt64: Double]] = [], ok: [Bool] = [], count: [Int] = []
            for b in bs {
                let at = members.filter { $0.0.batchSize == b }
                acc.append(Dictionary(at.map { ($0.0.seed, $0.1.testAccuracy) }, uniquingKeysWith: { a, _ in a }))
                fifth.append(Dictionary(at.map { ($0.0.seed, $0.1.lastFifthChange) }, uniquingKeysWith: { a, _ in a }))
                let good = at.filter { !$0.1.diverged && $0.1.trainLoss.isFinite && $0.1.trainLoss <= sweep.convergedTrainLoss }.count
                count.append(good)
                ok.append(good == at.count)
            }
            return Curve(point: members[0].0, batchSizes: bs, accuracy: acc, lastFifth: fifth, converged: ok, convergedSeeds: count)
        }
    }

    /// Plateau measure at B index i: |seed-mean last-fifth change| / SE of the seed-mean accuracy.
    static func plateauZ(_ c: Curve, _ i: Int) -> Double {
        let change = SeedStatistic(c.lastFifth[i].keys.sorted().map { c.lastFifth[i][$0]! })
        let acc = SeedStatistic(c.accuracy[i].keys.sorted().map { c.accuracy[i][$0]! })
        return abs(change.mean) / acc.standardError
    }

    static func factor(_ p: TrainingPoint, _ varies: SweepFactor) -> Double { SweepSummary.factor(p, varies) }

    /// Slope of ln B_opt on ln factor with an intercept per family (within-family centring).
    static func slope(_ cs: [Curve], _ bOpt: [Double], varies: SweepFactor) -> Double {
        var sxx = 0.0, sxy = 0.0
        let families = Dictionary(grouping: cs.indices, by: { cs[$0].family(varies) })
        for members in families.values where members.count >= 2 {
            let x = members.map { log(factor(cs[$0].point, varies)) }, y = members.map { log(bOpt[$0]) }
            let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
            for k in x.indices { sxx += (x[k] - mx) * (x[k] - mx); sxy += (x[k] - mx) * (y[k] - my) }
        }
        return sxx > 0 ? sxy / sxx : .nan
    }

    static func add(_ runs: [(TrainingPoint, RunResult)], sweep: SweepConfig, seed: UInt64, to doc: inout HDF5Document) {
        guard !runs.isEmpty else { return }
        let root = "/summary/\(sweep.name)/converged"
        let cs = curves(runs, sweep: sweep)
        let seeds = Array(Set(runs.map { $0.0.seed })).sorted()
        var bOpt: [Double] = [], censored: [Double] = [], gOpt: [Double] = [], xs: [Double] = [], fitZ: [Double] = []
        for c in cs {
            let g = "\(root)/\(c.point.curve)"
            let opt = c.optimum(seeds)
            let z = c.batchSizes.indices.map { plateauZ(c, $0) }
            doc.addDataset("\(g)/batch_size", .double(c.batchSizes.map(Double.init)), units: "examples", description: "minibatch sizes B of the curve")
            doc.addDataset("\(g)/converged_seeds", .double(c.convergedSeeds.map(Double.init)), units: "runs",
                           description: "seeds whose final training loss is at most converged_train_loss (\(sweep.convergedTrainLoss) nats)")
            doc.addDataset("\(g)/plateau_z", .double(z), units: "seed standard errors",
                           description: "|seed-mean change of test accuracy over the last fifth of the runs| / standard error of the seed-mean accuracy (NaN: evaluated once)")
            let cen = opt?.censored ?? true
            let location = opt.map { $0.location } ?? .nan
            let fit = opt.map { o in (max(0, o.index - 1)...min(c.batchSizes.count - 1, o.index + 1)).map { z[$0] }.max()! } ?? .nan
            doc.addScalar("\(g)/b_opt", location, units: "examples",
                          description: "B maximising seed-mean test accuracy among the batch sizes where every seed converged (parabola in ln B)")
            doc.addScalar("\(g)/censored", cen ? 1 : 0, units: "1",
                          description: "1 if that optimum is at an end of the B grid or a grid neighbour did not converge (the optimum may lie beyond)")
            doc.addScalar("\(g)/fit_plateau_z", fit, units: "seed standard errors", description: "largest plateau_z at the optimum and its neighbours")
            bOpt.append(location); censored.append(cen ? 1 : 0); fitZ.append(fit)
            let p = c.point
            gOpt.append(p.learningRate * Double(p.trainSize) / (location * (1 - p.momentum)))
            xs.append(factor(p, sweep.varies))
        }
        let uncensored = cs.indices.filter { censored[$0] == 0 }
        doc.addDataset("\(root)/factor", .double(xs), units: "1", description: "per curve: the factor the sweep varies")
        doc.addDataset("\(root)/b_opt", .double(bOpt), units: "examples", description: "per curve: B_opt among converged batch sizes")
        doc.addDataset("\(root)/censored", .double(censored), units: "1", description: "per curve: 1 if B_opt is censored")
        doc.addDataset("\(root)/noise_scale_at_b_opt", .double(gOpt), units: "1", description: "per curve: g = εN/(B_opt(1 − m)) at the converged B_opt")
        doc.addScalar("\(root)/uncensored_curves", Double(uncensored.count), units: "curves", description: "curves whose converged B_opt is not censored")
        doc.addScalar("\(root)/censored_curves", Double(cs.count - uncensored.count), units: "curves", description: "curves whose converged B_opt is censored")
        // Pooled trend at the cells that locate the uncensored optima: every seed's last-fifth
        // change, t = mean / (sd/√count). A stationary regime gives |t| of order 1.
        let changes = uncensored.flatMap { k -> [Double] in
            let c = cs[k]
            guard let o = c.optimum(seeds) else { return [] }
            return (max(0, o.index - 1)...min(c.batchSizes.count - 1, o.index + 1)).flatMap { i in c.lastFifth[i].keys.sorted().map { c.lastFifth[i][$0]! } }
        }
        let trend = SeedStatistic(changes)
        doc.addScalar("\(root)/fit_last_fifth_change", trend.mean, units: "fraction",
                      description: "mean change of test accuracy over the last fifth of the runs at the optimum and neighbours of the uncensored curves (every seed)")
        doc.addScalar("\(root)/fit_plateau_t", abs(trend.mean) / trend.standardError, units: "standard errors",
                      description: "|fit_last_fifth_change| / its standard error over those runs: a stationary regime gives values of order 1 (NaN: runs evaluated once)")
        let gs = uncensored.map { gOpt[$0] }
        doc.addScalar("\(root)/noise_scale_at_b_opt_ratio", gs.isEmpty ? .nan : gs.max()! / gs.min()!, units: "1",
                      description: "largest over smallest g at the converged B_opt of the uncensored curves (1: g_opt the same for all)")
        guard sweep.varies != .weightDecay else { return }

        // The scaling exponent over uncensored curves, per-family intercepts, bootstrap SE over seeds.
        let kept = uncensored.map { cs[$0] }
        let families = Dictionary(grouping: kept, by: { $0.family(sweep.varies) })
        let span = families.values.map { m -> Double in
            let f = m.map { factor($0.point, sweep.varies) }
            return f.max()! / f.min()!
        }.max() ?? .nan
        doc.addScalar("\(root)/uncensored_factor_span", span, units: "1",
                      description: "largest ratio of the factor's largest to smallest value among the uncensored curves of one family")
        let s = slope(kept, uncensored.map { bOpt[$0] }, varies: sweep.varies)
        let boot = SeedBootstrap(seeds: seeds, seed: seed ^ 0xB007_5EED) { draw in
            slope(kept, kept.map { $0.optimum(draw)?.location ?? .nan }, varies: sweep.varies)
        }
        doc.addBootstrapEstimate("\(root)/slope", s, boot, units: "1",
                                 description: "slope of ln B_opt on ln(factor) over uncensored curves, one intercept per family (Smith & Le: 1 for ε, N and 1/(1 − m))")
        if Set(cs.map { $0.point.trainSize }).count >= 2 { addCollapse(cs, seeds: seeds, seed: seed, root: "/summary/\(sweep.name)/collapse", to: &doc) }
    }

    /// The converged cells of every curve, accuracy relative to its N's mean.
    struct Cells {
        var noiseScale: [Double] = [], stepOverBatch: [Double] = [], batchSize: [Double] = []
        var accuracy: [Double] = [], relative: [Double] = [], learningRate: [Double] = [], trainSize: [Double] = []

        init(_ cs: [Curve], seeds: [UInt64]) {
            for c in cs {
                let p = c.point
                for i in c.batchSizes.indices where c.converged[i] {
                    let b = Double(c.batchSizes[i])
                    noiseScale.append(p.learningRate * Double(p.trainSize) / (b * (1 - p.momentum)))
                    stepOverBatch.append(p.learningRate / (b * (1 - p.momentum)))
                    batchSize.append(b)
                    accuracy.append(c.mean(i, seeds))
                    learningRate.append(p.learningRate)
                    trainSize.append(Double(p.trainSize))
                }
            }
            var offset: [Double: Double] = [:]
            for (n, idx) in Dictionary(grouping: trainSize.indices, by: { trainSize[$0] }) {
                offset[n] = idx.map { accuracy[$0] }.reduce(0, +) / Double(idx.count)
            }
            relative = accuracy.indices.map { accuracy[$0] - offset[trainSize[$0]]! }
        }

        func r2(_ x: [Double]) -> Double { QuadraticFit(x: x.map { log($0) }, y: relative).rSquared }
    }

    static func addCollapse(_ cs: [Curve], seeds: [UInt64], seed: UInt64, root: String, to doc: inout HDF5Document) {
        let cells = Cells(cs, seeds: seeds)
        let r2g = cells.r2(cells.noiseScale), r2e = cells.r2(cells.stepOverBatch), r2b = cells.r2(cells.batchSize)
        let boot = SeedBootstrap(seeds: seeds, seed: seed ^ 0xC011_A95E) { draw in
            let c = Cells(cs, seeds: draw)
            return c.r2(c.noiseScale) - c.r2(c.stepOverBatch)
        }
        doc.addDataset("\(root)/noise_scale", .double(cells.noiseScale), units: "1", description: "per converged cell: g = εN/(B(1 − m))")
        doc.addDataset("\(root)/step_over_batch", .double(cells.stepOverBatch), units: "1", description: "per converged cell: ε/(B(1 − m))")
        doc.addDataset("\(root)/batch_size", .double(cells.batchSize), units: "examples", description: "per converged cell: B")
        doc.addDataset("\(root)/learning_rate", .double(cells.learningRate), units: "1", description: "per converged cell: ε")
        doc.addDataset("\(root)/train_size", .double(cells.trainSize), units: "examples", description: "per converged cell: N")
        doc.addDataset("\(root)/test_accuracy_mean", .double(cells.accuracy), units: "fraction", description: "per converged cell: seed-mean test accuracy")
        doc.addDataset("\(root)/test_accuracy_relative", .double(cells.relative), units: "fraction",
                       description: "per converged cell: seed-mean test accuracy minus the mean over the converged cells of its N")
        doc.addScalar("\(root)/cells", Double(cells.accuracy.count), units: "cells", description: "converged cells (curve, B) in the collapse fits")
        doc.addScalar("\(root)/r2_noise_scale", r2g, units: "1", description: "R² of relative accuracy by a parabola in ln g")
        doc.addScalar("\(root)/r2_step_over_batch", r2e, units: "1", description: "R² of relative accuracy by a parabola in ln(ε/(B(1 − m))) (no N: a stability edge's variable)")
        doc.addScalar("\(root)/r2_batch_size", r2b, units: "1", description: "R² of relative accuracy by a parabola in ln B")
        doc.addBootstrapEstimate("\(root)/r2_gain", r2g - r2e, boot, units: "1",
                                 description: "R²(g) − R²(ε/(B(1 − m))): how much more N-aware g explains")
    }
}
