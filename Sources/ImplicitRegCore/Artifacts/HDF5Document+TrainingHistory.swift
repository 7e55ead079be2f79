extension HDF5Document {
    /// Writes a run's learning curves as 1-D datasets sharing the `epoch` axis under `group`
    /// (e.g. "/curves"): epoch, step, learning_rate, train_loss, train_accuracy, test_loss,
    /// test_accuracy, with units and descriptions.
    public mutating func addCurves(_ h: TrainingHistory, under group: String = "/curves") {
        addDataset("\(group)/epoch", .int64(h.epoch.map(Int64.init)), units: "epochs",
                   description: "epochs completed (0 = at initialisation); the axis of every curve in this group")
        addDataset("\(group)/step", .int64(h.step.map(Int64.init)), units: "steps",
                   description: "optimizer steps completed by the end of the epoch")
        addDataset("\(group)/learning_rate", .double(h.learningRate), units: "1",
                   description: "learning rate ε in the epoch's last step")
        addDataset("\(group)/train_loss", .double(h.trainLoss), units: "nats per example",
                   description: "mean loss over the full training set after the epoch")
        addDataset("\(group)/train_accuracy", .double(h.trainAccuracy), units: "fraction",
                   description: "accuracy on the full training set (with the labels trained on) after the epoch")
        if !h.testLoss.isEmpty {
            addDataset("\(group)/test_loss", .double(h.testLoss), units: "nats per example",
                       description: "mean loss on the test set (true labels, never corrupted) after the epoch")
            addDataset("\(group)/test_accuracy", .double(h.testAccuracy), units: "fraction",
                       description: "accuracy on the test set (true labels, never corrupted) after the epoch")
        }
    }

    /// Copies every dataset of `other` under `prefix` (e.g. a point's /curves into the summary),
    /// with the dimension scales it declares there.
    public mutating func merge(_ other: HDF5Document, from source: String, into prefix: String) {
        for (path, dataset) in other.datasets where path.hasPrefix(source + "/") {
            datasets[prefix + path.dropFirst(source.count)] = dataset
            var parent = prefix + path.dropFirst(source.count)
            while let slash = parent.lastIndex(of: "/"), slash != parent.startIndex {
                parent = String(parent[..<slash])
                if groupAttributes[parent] == nil { groupAttributes[parent] = [:] }
            }
        }
        func moved(_ path: String) -> String { prefix + path.dropFirst(source.count) }
        for (axis, labelled) in other.dimensionScales where axis.hasPrefix(source + "/") {
            dimensionScales[moved(axis)] = labelled.map { $0.hasPrefix(source + "/") ? moved($0) : $0 }
        }
    }
}
