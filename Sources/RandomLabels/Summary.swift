import ImplicitRegCore

/// The merged summary scalars the claims read.
///
/// Layout: `/summary/<dataset>/<model>/<run>/…` per group of seeds (means over seeds), where
/// `<run>` is a condition ("random-labels"), a corruption level ("corrupted-0.4") or a
/// regularization run ("true-labels-weight-decay"); then one group per claim with the worst case
/// over every data set and model (`/summary/random-labels/…`, `/summary/corruption/…`, …).
enum Summary {
    static func mean(_ xs: [Double]) -> Double { xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count) }

    /// Mean over seeds of `value` for the runs matching `where`.
    struct Group {
        var runs: [PointResult]
        func mean(_ value: (PointResult) -> Double) -> Double { Summary.mean(runs.map(value)) }
        var isEmpty: Bool { runs.isEmpty }
    }

    /// `corruptionModels`: the models of `corruption.models`, whose sweeps make the worst cases under
    /// `/summary/corruption/`; any other model with corrupted runs (an extra run's
    /// `corruption_levels`) gets its own under `/summary/corruption-<model>/`.
    static func add(_ results: [PointResult], corruptionModels: Set<String>, to doc: inout HDF5Document) {
        let plain = results.filter { $0.spec.regularizer == nil }
        let pairs = orderedPairs(results)
        func group(_ dataset: DatasetName, _ model: String, _ filter: (TrainingPoint) -> Bool) -> Group {
            Group(runs: results.filter { $0.spec.dataset == dataset && $0.spec.model.name == model && filter($0.spec) })
        }
        func condition(_ c: Condition) -> (TrainingPoint) -> Bool { { $0.regularizer == nil && $0.condition == c } }

        // Per dataset, model and run: means over seeds.
        for (dataset, model) in pairs {
            var seen = Set<String>()
            for r in results where r.spec.dataset == dataset && r.spec.model.name == model {
                let run = runName(r.spec)
                guard seen.insert(run).inserted else { continue }
                let g = group(dataset, model) { runName($0) == run }
                let path = "/summary/\(dataset.rawValue)/\(model)/\(run)"
                doc.addScalar("\(path)/train_accuracy", g.mean(\.finalTrainAccuracy), units: "fraction",
                              description: "final training accuracy, mean over \(g.runs.count) seed(s)")
                doc.addScalar("\(path)/test_accuracy", g.mean(\.finalTestAccuracy), units: "fraction",
                              description: "final test accuracy, mean over seeds")
                doc.addScalar("\(path)/best_test_accuracy", g.mean(\.bestTestAccuracy), units: "fraction",
                              description: "highest test accuracy over the epochs, mean over seeds")
                doc.addScalar("\(path)/epochs_to_99", g.mean(\.epochsTo99), units: "epochs",
                              description: "epochs to 99 % training accuracy, mean over seeds (NaN if a seed never got there)")
                doc.addScalar("\(path)/epochs_to_100", g.mean(\.epochsTo100), units: "epochs",
                              description: "epochs to 100 % training accuracy, mean over seeds (NaN if a seed never got there)")
            }
        }

        // fits-random-labels (and the worst case of every condition).
        for c in Condition.allCases where c != .corruptedLabels {
            let all = plain.filter { $0.spec.condition == c }
            guard !all.isEmpty else { continue }
            doc.addScalar("/summary/\(c.rawValue)/train_accuracy_min", all.map(\.finalTrainAccuracy).min()!, units: "fraction",
                          description: "lowest final training accuracy over every data set, model and seed (no regularizer)")
            doc.addScalar("/summary/\(c.rawValue)/test_accuracy_min", all.map(\.finalTestAccuracy).min()!, units: "fraction",
                          description: "lowest final test accuracy over every data set, model and seed (no regularizer)")
            doc.addScalar("/summary/\(c.rawValue)/test_accuracy_max", all.map(\.finalTestAccuracy).max()!, units: "fraction",
                          description: "highest final test accuracy over every data set, model and seed (no regularizer)")
        }

        // small-slowdown and noise-inputs-fit, per data set and model.
        var slowdowns: [Double] = [], noiseRatios: [Double] = [], shuffledGaps: [Double] = []
        for (dataset, model) in pairs {
            let ep = { (c: Condition) in group(dataset, model, condition(c)).mean(\.epochsTo99) }
            let test = { (c: Condition) in group(dataset, model, condition(c)).mean(\.finalTestAccuracy) }
            let has = { (c: Condition) in !group(dataset, model, condition(c)).isEmpty }
            let path = "/summary/\(dataset.rawValue)/\(model)"
            if has(.trueLabels) && has(.randomLabels) {
                let ratio = ep(.randomLabels) / ep(.trueLabels)
                slowdowns.append(ratio)
                doc.addScalar("\(path)/slowdown_random_vs_true", ratio, units: "1",
                              description: "epochs to 99 % training accuracy, random labels / true labels (means over seeds)")
            }
            for c in [Condition.randomPixels, .gaussian] where has(c) && has(.randomLabels) {
                let ratio = ep(c) / ep(.randomLabels)
                noiseRatios.append(ratio)
                doc.addScalar("\(path)/\(c.rawValue)_vs_random_labels", ratio, units: "1",
                              description: "epochs to 99 % training accuracy, \(c.rawValue) / random labels (means over seeds)")
            }
            if has(.shuffledPixels) && has(.trueLabels) {
                shuffledGaps.append(abs(test(.shuffledPixels) - test(.trueLabels)))
            }
        }
        if !slowdowns.isEmpty {
            doc.addScalar("/summary/slowdown_min", slowdowns.min()!, units: "1",
                          description: "smallest slowdown (random / true labels, epochs to 99 %) over data sets and models")
            doc.addScalar("/summary/slowdown_max", slowdowns.max()!, units: "1",
                          description: "largest slowdown (random / true labels, epochs to 99 %) over data sets and models")
        }
        let noise = plain.filter { [.shuffledPixels, .randomPixels, .gaussian].contains($0.spec.condition) }
        if !noise.isEmpty {
            doc.addScalar("/summary/noise-inputs/train_accuracy_min", noise.map(\.finalTrainAccuracy).min()!, units: "fraction",
                          description: "lowest final training accuracy over shuffled pixels, random pixels and Gaussian inputs")
        }
        if !noiseRatios.isEmpty {
            doc.addScalar("/summary/noise-inputs/epochs_ratio_max", noiseRatios.max()!, units: "1",
                          description: "largest ratio of epochs to 99 %, random pixels or Gaussian / random labels, over data sets and models")
        }
        if !shuffledGaps.isEmpty {
            doc.addScalar("/summary/noise-inputs/shuffled_test_gap_max", shuffledGaps.max()!, units: "fraction",
                          description: "largest |test accuracy, shuffled pixels − true labels| over data sets and models (means over seeds)")
        }

        addCorruption(results, pairs: pairs.filter { corruptionModels.contains($0.1) }, prefix: "/summary/corruption", to: &doc, group: group)
        for model in Set(results.filter { $0.spec.condition == .corruptedLabels }.map(\.spec.model.name)).subtracting(corruptionModels).sorted() {
            addCorruption(results, pairs: pairs.filter { $0.1 == model }, prefix: "/summary/corruption-\(model)", earlyStopping: false,
                          to: &doc, group: group)
        }
        addRegularization(results, pairs: pairs, to: &doc, group: group)
    }

    /// The run's name inside its data set and model group.
    static func runName(_ p: TrainingPoint) -> String {
        let condition = p.condition == .corruptedLabels ? "corrupted-\(p.corruption)" : p.condition.rawValue
        return condition + (p.regularizer.map { "-\($0 == .none ? "unregularized" : $0.rawValue)" } ?? "")
    }

    /// (dataset, model) pairs in the order they first appear.
    static func orderedPairs(_ results: [PointResult]) -> [(DatasetName, String)] {
        var seen = Set<String>()
        var out: [(DatasetName, String)] = []
        for r in results where seen.insert("\(r.spec.dataset.rawValue)|\(r.spec.model.name)").inserted {
            out.append((r.spec.dataset, r.spec.model.name))
        }
        return out
    }

    /// corruption-sweep and the early-stopping view: for each data set and model with corrupted
    /// runs, the curves over p (p = 0 and 1 from the true- and random-label runs).
    /// The worst cases over `pairs` go under `prefix`; the early-stopping view only with `earlyStopping`.
    static func addCorruption(_ results: [PointResult], pairs: [(DatasetName, String)], prefix: String, earlyStopping: Bool = true,
                              to doc: inout HDF5Document, group: (DatasetName, String, (TrainingPoint) -> Bool) -> Group) {
        var trainMin = Double.infinity, increaseMax = -Double.infinity, dropMin = Double.infinity
        var excessMin = Double.infinity, ratios: [Double] = [], cleanGains: [Double] = [], noisyGains: [Double] = []
        var randomExcess: [Double] = []
        for (dataset, model) in pairs {
            let swept = results.filter {
                $0.spec.dataset == dataset && $0.spec.model.name == model && $0.spec.regularizer == nil
                    && [.trueLabels, .randomLabels, .corruptedLabels].contains($0.spec.condition)
            }
            let levels = Array(Set(swept.map(\.spec.corruption))).sorted()
            guard swept.contains(where: { $0.spec.condition == .corruptedLabels }), levels.count >= 2 else { continue }
            let groups = levels.map { p in group(dataset, model) { $0.regularizer == nil && $0.corruption == p
                    && [.trueLabels, .randomLabels, .corruptedLabels].contains($0.condition) } }
            let test = groups.map { $0.mean(\.finalTestAccuracy) }
            let best = groups.map { $0.mean(\.bestTestAccuracy) }
            let ep99 = groups.map { $0.mean(\.epochsTo99) }
            let path = "/summary/\(dataset.rawValue)/\(model)/corruption"
            doc.addDataset("\(path)/levels", .double(levels), units: "probability", description: "corruption levels p")
            doc.addDataset("\(path)/test_accuracy", .double(test), units: "fraction", description: "final test accuracy per level, mean over seeds")
            doc.addDataset("\(path)/best_test_accuracy", .double(best), units: "fraction",
                           description: "highest test accuracy over the epochs per level, mean over seeds")
            doc.addDataset("\(path)/epochs_to_99", .double(ep99), units: "epochs", description: "epochs to 99 % training accuracy per level, mean over seeds")
            doc.addDataset("\(path)/epochs_to_100", .double(groups.map { $0.mean(\.epochsTo100) }), units: "epochs",
                           description: "epochs to 100 % training accuracy per level, mean over seeds")
            trainMin = min(trainMin, swept.map(\.finalTrainAccuracy).min()!)
            for k in 1..<levels.count { increaseMax = max(increaseMax, test[k] - test[k - 1]) }
            if levels.first == 0 && levels.last == 1 {
                dropMin = min(dropMin, test[0] - test[levels.count - 1])
                ratios.append(ep99[levels.count - 1] / ep99[0])
            }
            if levels.first == 0 { for k in 1..<levels.count { excessMin = min(excessMin, ep99[k] - ep99[0]) } }
            if levels.first == 0 && levels.last == 1 {
                // Per seed: epochs to 99 % at p = 1 minus at p = 0 (a directional test of "fitting slows with p").
                let seeds = Array(Set(swept.map(\.spec.seed))).sorted()
                let excess = seeds.map { seed -> Double in
                    let at = { (p: Double) in swept.first { $0.spec.seed == seed && $0.spec.corruption == p }?.epochsTo99 ?? .nan }
                    return at(1) - at(0)
                }
                randomExcess += excess
                doc.addSeedStatistic("\(path)/epochs_excess_random", SeedStatistic(excess), units: "epochs",
                                     description: "epochs to 99 % training accuracy at p = 1 minus at p = 0, per seed")
            }
            for (k, p) in levels.enumerated() {
                if p == 0 { cleanGains.append(best[k] - test[k]) } else if p < 1 { noisyGains.append(best[k] - test[k]) }
            }
        }
        guard trainMin.isFinite else { return }
        doc.addScalar("\(prefix)/train_accuracy_min", trainMin, units: "fraction",
                      description: "lowest final training accuracy over every corruption level, data set, model and seed")
        doc.addScalar("\(prefix)/test_increase_max", increaseMax, units: "fraction",
                      description: "largest rise of mean test accuracy from one corruption level to the next (≤ 0 when test accuracy falls with p)")
        if dropMin.isFinite {
            doc.addScalar("\(prefix)/test_drop_min", dropMin, units: "fraction",
                          description: "smallest fall of mean test accuracy from p = 0 to p = 1 over data sets and models")
            doc.addScalar("\(prefix)/epochs_ratio_min", ratios.min()!, units: "1",
                          description: "smallest ratio of epochs to 99 %, p = 1 / p = 0, over data sets and models")
            doc.addScalar("\(prefix)/epochs_ratio_max", ratios.max()!, units: "1",
                          description: "largest ratio of epochs to 99 %, p = 1 / p = 0, over data sets and models")
        }
        if !randomExcess.isEmpty {
            doc.addSeedStatistic("\(prefix)/epochs_excess_random", SeedStatistic(randomExcess), units: "epochs",
                                 description: "epochs to 99 % training accuracy at p = 1 minus at p = 0, per seed (and data set and model)")
        }
        if excessMin.isFinite {
            doc.addScalar("\(prefix)/epochs_excess_min", excessMin, units: "epochs",
                          description: "smallest excess of epochs to 99 % at p > 0 over p = 0 (≥ 0: corrupted labels never fit faster)")
        }
        guard earlyStopping else { return }
        doc.addScalar("/summary/early-stopping/true_labels_gain_max", cleanGains.max() ?? .nan, units: "fraction",
                      description: "largest gain of the best-epoch over the final test accuracy on true labels (means over seeds)")
        doc.addScalar("/summary/early-stopping/corrupted_gain_min", noisyGains.min() ?? .nan, units: "fraction",
                      description: "smallest gain of the best-epoch over the final test accuracy at 0 < p < 1 (means over seeds)")
        doc.addScalar("/summary/early-stopping/corrupted_gain_max", noisyGains.max() ?? .nan, units: "fraction",
                      description: "largest gain of the best-epoch over the final test accuracy at 0 < p < 1 (means over seeds)")
    }

    /// regularizers-not-necessary: the true-label runs with a fixed epoch budget, with and without
    /// each regularizer, and the regularized random-label runs.
    static func addRegularization(_ results: [PointResult], pairs: [(DatasetName, String)], to doc: inout HDF5Document,
                                  group: (DatasetName, String, (TrainingPoint) -> Bool) -> Group) {
        var baselines: [Double] = [], effects: [Double] = []
        for (dataset, model) in pairs {
            let none = group(dataset, model) { $0.regularizer == Regularizer.none && $0.condition == .trueLabels }
            guard !none.isEmpty else { continue }
            let base = none.mean(\.finalTestAccuracy)
            baselines.append(base)
            for r in Regularizer.allCases where r != .none {
                let g = group(dataset, model) { $0.regularizer == r && $0.condition == .trueLabels }
                guard !g.isEmpty else { continue }
                let effect = g.mean(\.finalTestAccuracy) - base
                effects.append(effect)
                doc.addScalar("/summary/\(dataset.rawValue)/\(model)/true-labels-\(r.rawValue)/test_accuracy_change", effect,
                              units: "fraction", description: "mean test accuracy with \(r.rawValue) minus without any regularizer (same epochs)")
            }
        }
        if !baselines.isEmpty {
            doc.addScalar("/summary/regularization/unregularized_test_accuracy_min", baselines.min()!, units: "fraction",
                          description: "lowest mean test accuracy without any explicit regularizer, over data sets and models")
        }
        if !effects.isEmpty {
            doc.addScalar("/summary/regularization/effect_abs_max", effects.map(abs).max()!, units: "fraction",
                          description: "largest |change of mean test accuracy| caused by one regularizer, over regularizers, data sets and models")
        }
        let random = results.filter { $0.spec.regularizer != nil && $0.spec.condition == .randomLabels }
        if !random.isEmpty {
            doc.addScalar("/summary/regularization/random_labels_train_accuracy_min", random.map(\.finalTrainAccuracy).min()!,
                          units: "fraction", description: "lowest final training accuracy on random labels with a regularizer on")
        }
    }

    /// theorem-1: the worst case over every size and seed.
    static func add(_ results: [TheoremResult], to doc: inout HDF5Document) {
        guard !results.isEmpty else { return }
        let small = results.filter { $0.spec.n <= 1000 }
        doc.addScalar("/summary/theorem-1/parameter_excess_max",
                      results.map { abs($0.parameterCount - Double(2 * $0.spec.n + $0.spec.d)) }.max()!, units: "weights",
                      description: "largest |weights − (2n + d)| over every construction")
        doc.addScalar("/summary/theorem-1/nonzeros_above_diagonal_max", results.map(\.nonzerosAboveDiagonal).max()!, units: "entries",
                      description: "most nonzero entries above the diagonal of A in any construction")
        doc.addScalar("/summary/theorem-1/relative_residual_max", results.map(\.relativeResidual).max()!, units: "1",
                      description: "largest max_i |f(x_i) − y_i| / max_i Σ_j |A_ij w_j| over every construction")
        doc.addScalar("/summary/theorem-1/abs_residual_max", small.map(\.maxAbsResidual).max() ?? .nan, units: "1",
                      description: "largest max_i |f(x_i) − y_i| over the constructions with n ≤ 1000")
        doc.addScalar("/summary/theorem-1/abs_residual_max_all", results.map(\.maxAbsResidual).max()!, units: "1",
                      description: "largest max_i |f(x_i) − y_i| over every construction (any n)")
        doc.addScalar("/summary/theorem-1/largest_n", Double(results.map(\.spec.n).max()!), units: "points",
                      description: "largest n constructed")
    }
}
