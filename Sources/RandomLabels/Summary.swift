import ImplicitRegCore

/// The merged summary scalars the claims read.
enum Summary {
    /// Per model and condition: the mean (over seeds) final accuracies and epochs to 99 %, the
    /// worst-case training accuracy; across models: the worst-case training accuracy per condition
    /// and the test-accuracy range; per model: the slowdown ep99(random) / ep99(true).
    static func add(_ results: [PointResult], to doc: inout HDF5Document, models: [String], conditions: [Condition]) {
        func mean(_ xs: [Double]) -> Double { xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count) }
        for condition in conditions {
            let all = results.filter { $0.spec.condition == condition }
            let c = condition.rawValue
            doc.addScalar("/summary/\(c)/train_accuracy_min", all.map(\.finalTrainAccuracy).min() ?? .nan, units: "fraction",
                          description: "lowest final training accuracy over every model and seed")
            doc.addScalar("/summary/\(c)/test_accuracy_min", all.map(\.finalTestAccuracy).min() ?? .nan, units: "fraction",
                          description: "lowest final test accuracy over every model and seed")
            doc.addScalar("/summary/\(c)/test_accuracy_max", all.map(\.finalTestAccuracy).max() ?? .nan, units: "fraction",
                          description: "highest final test accuracy over every model and seed")
            for model in models {
                let runs = all.filter { $0.spec.model.name == model }
                let g = "/summary/\(model)/\(c)"
                doc.addScalar("\(g)/train_accuracy", mean(runs.map(\.finalTrainAccuracy)), units: "fraction",
                              description: "final training accuracy, mean over seeds")
                doc.addScalar("\(g)/test_accuracy", mean(runs.map(\.finalTestAccuracy)), units: "fraction",
                              description: "final test accuracy, mean over seeds")
                doc.addScalar("\(g)/epochs_to_99", mean(runs.map(\.epochsTo99)), units: "epochs",
                              description: "epochs to 99 % training accuracy, mean over seeds (NaN if any seed never got there)")
                doc.addScalar("\(g)/epochs_to_100", mean(runs.map(\.epochsTo100)), units: "epochs",
                              description: "epochs to 100 % training accuracy, mean over seeds (NaN if any seed never got there)")
            }
        }
        guard conditions.contains(.trueLabels), conditions.contains(.randomLabels) else { return }
        var ratios: [Double] = []
        for model in models {
            let ep = { (c: Condition) in
                mean(results.filter { $0.spec.model.name == model && $0.spec.condition == c }.map(\.epochsTo99))
            }
            let ratio = ep(.randomLabels) / ep(.trueLabels)
            ratios.append(ratio)
            doc.addScalar("/summary/\(model)/slowdown_random_vs_true", ratio, units: "1",
                          description: "epochs to 99 % training accuracy, random labels / true labels")
        }
        doc.addScalar("/summary/slowdown_min", ratios.min() ?? .nan, units: "1",
                      description: "smallest slowdown (random / true labels, epochs to 99 %) over models")
        doc.addScalar("/summary/slowdown_max", ratios.max() ?? .nan, units: "1",
                      description: "largest slowdown (random / true labels, epochs to 99 %) over models")
    }
}
