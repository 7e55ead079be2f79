import Foundation
import ImplicitRegCore
import ReadingSupport

/// SGD on Fashion-MNIST over an ε × B grid at equal time T = ε·steps: where the implicit
/// regulariser scales as ε/B (small batches), the best ε should grow ∝ B and runs with equal ε/B
/// should reach similar test accuracy and regulariser values.
enum LearningRateGrid {
    /// A stratified training subset (the grid's streams: every point shares it) and the first test images, pooled and centred.
    static func data(_ setup: LearningRateGridSetup, train: Dataset<Float>, test: Dataset<Float>, streams: RandomStreams) throws -> (Dataset<Float>, Dataset<Float>) {
        var rng = streams.stream(.subset)
        let trainSubset = try train.stratifiedSubset(count: setup.trainSize, field: "lr_grid.train_size", using: &rng).averagePooled(by: setup.pool)
        let testSubset = try test.first(setup.testSize, field: "lr_grid.test_size").averagePooled(by: setup.pool)
        let mean = trainSubset.featureMoments().mean
        return (trainSubset.centred(mean: mean), testSubset.centred(mean: mean))
    }

    static func run(_ point: GridRun, setup: LearningRateGridSetup, train: Dataset<Float>, test: Dataset<Float>,
                    context: RunContext) throws -> HDF5Document {
        let ε = point.learningRate, b = point.batchSize
        let streams = context.streams
        let model = Sequential<Float>(Architectures.mlp(input: train.featureCount, hidden: setup.hidden, output: 10, activation: .tanh),
                                      loss: SoftmaxCrossEntropy())
        var initRNG = streams.stream(.initialization)
        model.initialize(Initializer(.lecun, .normal), using: &initRNG)
        let p = model.parameterCount, n = train.count, m = n / b
        let steps = Int((setup.time / ε).rounded())
        let sgd = MinibatchSGD(model: model, learningRate: ε, shuffle: streams.stream(.shuffle), run: point.name,
                               remedy: "drop this learning rate from lr_grid.learning_rates")
        for _ in 0..<steps {
            try sgd.step(on: m == 1 ? train : sgd.partitionBatch(train, batchSize: b))  // B ≥ N: full-batch GD, no shuffle
        }
        let g = sgd.gradient, scratch = Buffer<Float>()
        let trainEval = model.evaluate(train), testEval = model.evaluate(test)
        // The variance part of the regulariser, (ε/4m)Σₖ‖∇Ĉₖ − ∇C‖², on a fixed partition into blocks of B.
        var variance = 0.0
        if m > 1 {
            let full = Buffer<Float>(capacity: p), diff = Buffer<Float>(capacity: p)
            model.fullGradient(train, into: full.pointer, scratch: scratch)
            var rng = streams.stream("evaluation-partition")
            let perm = rng.permutation(n)
            for k in 0..<m {
                model.fullGradient(train.subset(Array(perm[(k * b)..<((k + 1) * b)])), into: g.pointer, scratch: scratch)
                Float.subtract(g.pointer, full.pointer, diff.pointer, p)
                variance += Float.sumOfSquares(diff.pointer, p)
            }
            variance *= ε / (4 * Double(m))
        }
        var doc = HDF5Document()
        func scalar(_ name: String, _ v: Double, _ units: String, _ d: String) { doc.addScalar("/summary/\(point.name)/\(name)", v, units: units, description: d) }
        scalar("test_accuracy", testEval.accuracy, "fraction", "final test accuracy")
        scalar("train_accuracy", trainEval.accuracy, "fraction", "final training accuracy")
        scalar("train_loss", trainEval.loss, "nats", "final training loss")
        scalar("variance_regularizer", variance, "loss", "(ε/4m)Σₖ‖∇Ĉₖ − ∇C‖² at the end on a fixed partition into blocks of B (0 for full batch)")
        scalar("steps", Double(steps), "steps", "SGD steps T/ε")
        return doc
    }

    /// Per B: seed-mean test accuracy for each ε, the best ε; along the diagonal of equal ε/B: the spread.
    static func summarize(_ points: [(PointSpec, HDF5Document)], setup: LearningRateGridSetup, into doc: inout HDF5Document) {
        let runs = points.compactMap { p -> (GridRun, HDF5Document)? in
            guard case let .learningRateGrid(run) = p.0 else { return nil }
            return (run, p.1)
        }
        guard !runs.isEmpty else { return }
        func mean(_ b: Int, _ ε: Double, _ name: String) -> Double {
            let xs = runs.filter { $0.0.batchSize == b && $0.0.learningRate == ε }.compactMap { $0.1.scalar("/summary/\($0.0.name)/\(name)") }
            return xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count)
        }
        let rates = setup.learningRates, batches = setup.batchSizes
        var best: [Double] = []
        for b in batches {
            let acc = rates.map { mean(b, $0, "test_accuracy") }
            doc.addDataset("/curves/lr-grid/b\(b)/test_accuracy", .double(acc), units: "fraction", description: "seed-mean test accuracy per learning rate, B = \(b)")
            doc.addDataset("/curves/lr-grid/b\(b)/variance_regularizer", .double(rates.map { mean(b, $0, "variance_regularizer") }), units: "loss",
                           description: "seed-mean (ε/4m)Σₖ‖∇Ĉₖ − ∇C‖² at the end, B = \(b)")
            best.append(rates[acc.indices.max { acc[$0] < acc[$1] }!])
        }
        doc.addDataset("/curves/lr-grid/learning_rate", .double(rates), units: "1", description: "SGD learning rate ε")
        doc.addDataset("/curves/lr-grid/batch_size", .int64(batches.map(Int64.init)), units: "examples", description: "batch size B")
        doc.addDataset("/curves/lr-grid/best_learning_rate", .double(best), units: "1", description: "ε with the highest seed-mean test accuracy, per B")
        // Two axes in one group: ε labels each B's curves (in the subgroups), B labels the best ε.
        doc.setDimensionScale("/curves/lr-grid/batch_size", for: ["/curves/lr-grid/best_learning_rate"])
        doc.setDimensionScale("/curves/lr-grid/learning_rate",
                              for: batches.flatMap { ["/curves/lr-grid/b\($0)/test_accuracy", "/curves/lr-grid/b\($0)/variance_regularizer"] })
        let s = "/summary/lr-grid"
        // The diagonal: the pairs (B, ε) of the grid with ε/B equal to the smallest batch's ε/B for each of its ε.
        var spreads: [Double] = [], regSpreads: [Double] = []
        let b0 = batches.min()!
        for ε0 in rates {
            let ratio = ε0 / Double(b0)
            let diagonal = batches.compactMap { b -> (Int, Double)? in
                guard b < setup.trainSize, let ε = rates.first(where: { abs($0 - ratio * Double(b)) < 1e-9 }) else { return nil }
                return (b, ε)
            }
            guard diagonal.count >= 2 else { continue }
            let acc = diagonal.map { mean($0.0, $0.1, "test_accuracy") }
            let reg = diagonal.map { mean($0.0, $0.1, "variance_regularizer") }
            spreads.append(acc.max()! - acc.min()!)
            regSpreads.append(reg.max()! / reg.min()!)
        }
        let smallBatchBest = zip(batches, best).filter { $0.0 < setup.trainSize }
        doc.addScalar("\(s)/best_lr_ratio_largest_smallest_minibatch", smallBatchBest.last!.1 / smallBatchBest.first!.1, units: "1",
                      description: "best ε at the largest minibatch B < N over best ε at the smallest B (∝ B would give B_max/B_min)")
        doc.addScalar("\(s)/batch_ratio_largest_smallest_minibatch", Double(smallBatchBest.last!.0) / Double(smallBatchBest.first!.0), units: "1",
                      description: "B_max/B_min over the minibatch sizes (< N)")
        doc.addScalar("\(s)/equal_ratio_accuracy_spread_max", spreads.max() ?? .nan, units: "fraction",
                      description: "max over diagonals of equal ε/B (B < N) of the seed-mean test-accuracy range along the diagonal")
        doc.addScalar("\(s)/equal_ratio_regularizer_ratio_max", regSpreads.max() ?? .nan, units: "1",
                      description: "max over diagonals of equal ε/B of max/min of the variance regulariser along the diagonal")
        // Controls. (1) The best ε is an interior point of the ε grid for every minibatch size (an argmax at
        // the edge is censored: the true best may lie beyond the grid).
        let edges = smallBatchBest.filter { $0.1 == rates.min()! || $0.1 == rates.max()! }.count
        doc.addScalar("\(s)/best_lr_interior", edges == 0 ? 1 : 0, units: "1",
                      description: "1 if for every minibatch size B < N the best ε (seed-mean test accuracy) is not the grid's smallest or largest ε")
        doc.addScalar("\(s)/best_lr_at_grid_edge_count", Double(edges), units: "batch sizes",
                      description: "number of minibatch sizes B < N whose best ε is at an edge of the ε grid")
        // (2) The regime: the best SGD cell beats full-batch GD at its best ε, per seed (a seed statistic).
        if let full = batches.first(where: { $0 >= setup.trainSize }) {
            let seeds = Array(Set(runs.map(\.0.seed))).sorted()
            func accuracy(_ b: Int, _ ε: Double, _ seed: UInt64) -> Double {
                guard let (p, d) = runs.first(where: { $0.0.batchSize == b && $0.0.learningRate == ε && $0.0.seed == seed }) else { return .nan }
                return d.scalar("/summary/\(p.name)/test_accuracy") ?? .nan
            }
            let cells = batches.filter { $0 < setup.trainSize }.flatMap { b in rates.map { (b, $0) } }
            let bestSGD = cells.max { mean($0.0, $0.1, "test_accuracy") < mean($1.0, $1.1, "test_accuracy") }!
            let bestGD = rates.max { mean(full, $0, "test_accuracy") < mean(full, $1, "test_accuracy") }!
            doc.addSeedStatistic("\(s)/by-seed/best_sgd_minus_full_batch_test_accuracy",
                                 SeedStatistic(seeds.map { accuracy(bestSGD.0, bestSGD.1, $0) - accuracy(full, bestGD, $0) }), units: "fraction",
                                 description: "test accuracy of the best SGD cell (B = \(bestSGD.0), ε = \(bestSGD.1)) minus full-batch GD at its best ε (\(bestGD)), cells chosen by seed mean")
        }
        let allAcc = batches.flatMap { b in rates.map { mean(b, $0, "test_accuracy") } }
        doc.addScalar("\(s)/grid_accuracy_range", allAcc.max()! - allAcc.min()!, units: "fraction",
                      description: "range of seed-mean test accuracy over the whole grid (what a diagonal spread is compared with)")
    }
}
