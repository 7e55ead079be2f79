import Foundation
import ImplicitRegCore

/// The size sweep's summary: fitting time and accuracy against the training-set size N.
///
/// Layout: `/summary/size-sweep/<condition>/…` with one entry per N (`train_sizes`, seed means
/// and standard errors as datasets, one seed-statistics group per N under `n<N>/`), the worst
/// cases the claims read, and the growth exponent of the epochs to fit in N.
extension Summary {
    static func addSizeSweep(_ results: [PointResult], to doc: inout HDF5Document) {
        guard !results.isEmpty else { return }
        let sizes = Array(Set(results.compactMap(\.spec.trainSize))).sorted()
        let conditions = [Condition.trueLabels, .randomLabels].filter { c in results.contains { $0.spec.condition == c } }
        var ep99ByCondition: [Condition: [Double]] = [:]
        var exponents: [Condition: [UInt64: Double]] = [:]
        for c in conditions {
            let path = "/summary/size-sweep/\(c.rawValue)"
            let runs = results.filter { $0.spec.condition == c }
            func at(_ n: Int) -> [PointResult] { runs.filter { $0.spec.trainSize == n }.sorted { $0.spec.seed < $1.spec.seed } }
            var means: [String: [Double]] = [:]
            for n in sizes {
                let group = at(n)
                let stats: [(String, KeyPath<PointResult, Double>, String, String)] = [
                    ("epochs_to_999", \.epochsTo999, "epochs", "epochs to 99.9 % training accuracy (NaN for a seed that never got there)"),
                    ("epochs_to_99", \.epochsTo99, "epochs", "epochs to 99 % training accuracy"),
                    ("test_accuracy", \.finalTestAccuracy, "fraction", "final test accuracy (true test labels)"),
                    ("train_accuracy", \.finalTrainAccuracy, "fraction", "final training accuracy on the labels trained on"),
                    ("best_achievable_train_accuracy", \.bestAchievableAccuracy, "fraction",
                     "highest training accuracy identical images with different labels allow"),
                ]
                for (name, key, units, description) in stats {
                    let s = SeedStatistic(group.map { $0[keyPath: key] })
                    doc.addSeedStatistic("\(path)/n\(n)/\(name)", s, units: units, description: "\(c.rawValue), N = \(n): \(description)")
                    means[name + "_mean", default: []].append(s.mean)
                    means[name + "_se", default: []].append(s.standardError)
                }
            }
            doc.addDataset("\(path)/train_sizes", .double(sizes.map(Double.init)), units: "examples", description: "training-set sizes N")
            for (name, values) in means.sorted(by: { $0.key < $1.key }) {
                let isSE = name.hasSuffix("_se")
                let quantity = name.replacingOccurrences(of: isSE ? "_se" : "_mean", with: "").replacingOccurrences(of: "_", with: " ")
                doc.addDataset("\(path)/\(name)", .double(values), units: quantity.contains("accuracy") ? "fraction" : "epochs",
                               description: "\(quantity) per N, \(isSE ? "standard error of the seed mean" : "seed mean") (\(c.rawValue))")
            }
            ep99ByCondition[c] = means["epochs_to_99_mean"]
            doc.addScalar("\(path)/train_accuracy_min", runs.map(\.finalTrainAccuracy).min()!, units: "fraction",
                          description: "lowest final training accuracy over every N and seed (\(c.rawValue))")
            doc.addScalar("\(path)/test_accuracy_min", runs.map(\.finalTestAccuracy).min()!, units: "fraction",
                          description: "lowest final test accuracy over every N and seed (\(c.rawValue))")
            doc.addScalar("\(path)/test_accuracy_max", runs.map(\.finalTestAccuracy).max()!, units: "fraction",
                          description: "highest final test accuracy over every N and seed (\(c.rawValue))")
            doc.addScalar("\(path)/largest_n", Double(runs.compactMap(\.spec.trainSize).max()!), units: "examples",
                          description: "largest training-set size N run (\(c.rawValue))")
            doc.addScalar("\(path)/runs_not_fitted", Double(runs.filter { !$0.epochsTo999.isFinite }.count), units: "runs",
                          description: "runs that never reached 99.9 % training accuracy within size_sweep.epochs (\(c.rawValue))")
            doc.addScalar("\(path)/best_achievable_train_accuracy_min", runs.map(\.bestAchievableAccuracy).min()!, units: "fraction",
                          description: "lowest training accuracy that identical images with different labels allow, over every N and seed (\(c.rawValue))")
            // Growth exponent: per seed, the least-squares slope of ln(epochs to 99.9 %) on ln N.
            let seeds = Array(Set(runs.map(\.spec.seed))).sorted()
            let slopes = seeds.map { seed -> Double in
                let own = runs.filter { $0.spec.seed == seed }
                guard own.count >= 2, own.allSatisfy({ $0.epochsTo999.isFinite }) else { return .nan }
                return LinearFit(x: own.map { log(Double($0.spec.trainSize!)) }, y: own.map { log($0.epochsTo999) }).slope
            }
            exponents[c] = Dictionary(uniqueKeysWithValues: zip(seeds, slopes))
            doc.addSeedStatistic("\(path)/growth_exponent", SeedStatistic(slopes), units: "1",
                                 description: "slope of ln(epochs to 99.9 %) against ln N, least squares over N for each seed (\(c.rawValue))")
        }
        if let random = exponents[.randomLabels], let truth = exponents[.trueLabels] {
            let paired = random.keys.filter { truth[$0] != nil }.sorted().map { random[$0]! - truth[$0]! }
            doc.addSeedStatistic("/summary/size-sweep/growth_exponent_difference", SeedStatistic(paired), units: "1",
                                 description: "growth exponent of epochs to 99.9 % in N, random minus true labels, paired by seed")
        }
        if let random = ep99ByCondition[.randomLabels], let truth = ep99ByCondition[.trueLabels] {
            let ratio = zip(random, truth).map { $0 / $1 }
            doc.addDataset("/summary/size-sweep/slowdown", .double(ratio), units: "1",
                           description: "epochs to 99 % training accuracy, random / true labels (seed means), per N of /summary/size-sweep/random-labels/train_sizes")
            doc.addScalar("/summary/size-sweep/slowdown_max", ratio.max()!, units: "1", description: "largest slowdown (random / true labels, epochs to 99 %) over N")
            doc.addScalar("/summary/size-sweep/slowdown_min", ratio.min()!, units: "1", description: "smallest slowdown (random / true labels, epochs to 99 %) over N")
        }
    }
}
