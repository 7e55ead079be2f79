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
        var centred = trainSubset.centred(mean: mean)
        if setup.labelNoise > 0 {
            var labelRNG = streams.stream(.labels)
            centred = centred.flippingLabels(count: Int((setup.labelNoise * Double(setup.trainSize)).rounded()), using: &labelRNG).0
        }
        return (centred, testSubset.centred(mean: mean))
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
        let ratios = setup.learningRateOverBatch, batches = setup.batchSizes
        var best: [Double] = []
        for b in batches {
            let rates = setup.learningRates(batchSize: b)
            let acc = rates.map { mean(b, $0, "test_accuracy") }
            doc.addDataset("/curves/lr-grid/b\(b)/learning_rate", .double(rates), units: "1", description: "learning rates ε run at B = \(b)")
            doc.addDataset("/curves/lr-grid/b\(b)/test_accuracy", .double(acc), units: "fraction", description: "seed-mean test accuracy per learning rate, B = \(b)")
            doc.addDataset("/curves/lr-grid/b\(b)/variance_regularizer", .double(rates.map { mean(b, $0, "variance_regularizer") }), units: "loss",
                           description: "seed-mean (ε/4m)Σₖ‖∇Ĉₖ − ∇C‖² at the end, B = \(b)")
            best.append(rates[acc.indices.max { acc[$0] < acc[$1] }!])
        }
        addBestLearningRate(runs, setup: setup, into: &doc)
        doc.addDataset("/curves/lr-grid/learning_rate_over_batch", .double(ratios), units: "1/examples",
                       description: "ε/B of the minibatch runs (B < N): at each B the learning rates are these times B")
        doc.addDataset("/curves/lr-grid/batch_size", .int64(batches.map(Int64.init)), units: "examples", description: "batch size B")
        doc.addDataset("/curves/lr-grid/best_learning_rate", .double(best), units: "1", description: "ε with the highest seed-mean test accuracy, per B")
        // B labels the best ε; each B's own ε list labels its curves (the lists differ: ε = (ε/B)·B).
        doc.setDimensionScale("/curves/lr-grid/batch_size", for: ["/curves/lr-grid/best_learning_rate"])
        for b in batches {
            doc.setDimensionScale("/curves/lr-grid/b\(b)/learning_rate",
                                  for: ["/curves/lr-grid/b\(b)/test_accuracy", "/curves/lr-grid/b\(b)/variance_regularizer"])
        }
        let s = "/summary/lr-grid"
        // The diagonals: for each ε/B of the grid, the cells (B, ε/B·B) over the minibatch sizes.
        var spreads: [Double] = [], regSpreads: [Double] = []
        for i in ratios.indices {
            let diagonal = batches.filter { $0 < setup.trainSize }.map { b in (b, setup.learningRates(batchSize: b)[i]) }
            guard diagonal.count >= 2 else { continue }
            let acc = diagonal.map { mean($0.0, $0.1, "test_accuracy") }
            let reg = diagonal.map { mean($0.0, $0.1, "variance_regularizer") }
            spreads.append(acc.max()! - acc.min()!)
            regSpreads.append(reg.max()! / reg.min()!)
        }
        let smallBatchBest = zip(batches, best).filter { $0.0 < setup.trainSize }
        guard !smallBatchBest.isEmpty else { return }
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
        let edges = smallBatchBest.filter { $0.1 == setup.learningRates(batchSize: $0.0).first! || $0.1 == setup.learningRates(batchSize: $0.0).last! }.count
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
            let cells = batches.filter { $0 < setup.trainSize }.flatMap { b in setup.learningRates(batchSize: b).map { (b, $0) } }
            let bestSGD = cells.max { mean($0.0, $0.1, "test_accuracy") < mean($1.0, $1.1, "test_accuracy") }!
            let bestGD = setup.fullBatchLearningRates.max { mean(full, $0, "test_accuracy") < mean(full, $1, "test_accuracy") }!
            doc.addSeedStatistic("\(s)/by-seed/best_sgd_minus_full_batch_test_accuracy",
                                 SeedStatistic(seeds.map { accuracy(bestSGD.0, bestSGD.1, $0) - accuracy(full, bestGD, $0) }), units: "fraction",
                                 description: "test accuracy of the best SGD cell (B = \(bestSGD.0), ε = \(bestSGD.1)) minus full-batch GD at its best ε (\(bestGD)), cells chosen by seed mean")
        }
        let allAcc = batches.flatMap { b in setup.learningRates(batchSize: b).map { mean(b, $0, "test_accuracy") } }
        doc.addScalar("\(s)/grid_accuracy_range", allAcc.max()! - allAcc.min()!, units: "fraction",
                      description: "range of seed-mean test accuracy over the whole grid (what a diagonal spread is compared with)")
    }

    /// Seed mean of a cell's scalar `name` (default test accuracy) over the multiset `seeds` (NaN where a seed's run is missing).
    static func seedMean(_ runs: [(GridRun, HDF5Document)], _ b: Int, _ ε: Double, _ seeds: [UInt64], _ name: String = "test_accuracy") -> Double {
        let xs = seeds.map { seed -> Double in
            guard let (p, d) = runs.first(where: { $0.0.batchSize == b && $0.0.learningRate == ε && $0.0.seed == seed }) else { return .nan }
            return d.scalar("/summary/\(p.name)/\(name)") ?? .nan
        }
        return xs.reduce(0, +) / Double(xs.count)
    }

    /// The best ε per minibatch size B < N: the parabola in ln ε through the seed-mean maximum and its two
    /// neighbours (``ParabolicPeak``; at an edge of the ε grid it is censored), its bootstrap standard error
    /// over seeds in ln ε, and the slope of ln ε_best on ln B over the minibatch sizes (ε ∝ B gives 1) with
    /// its bootstrap standard error.
    static func addBestLearningRate(_ runs: [(GridRun, HDF5Document)], setup: LearningRateGridSetup, into doc: inout HDF5Document) {
        let small = setup.batchSizes.filter { $0 < setup.trainSize }.sorted()
        let seeds = Array(Set(runs.map(\.0.seed))).sorted()
        let s = "/summary/lr-grid"
        if let full = setup.batchSizes.first(where: { $0 >= setup.trainSize }) {
            let rates = setup.fullBatchLearningRates
            let peak = ParabolicPeak(x: rates, y: rates.map { seedMean(runs, full, $0, seeds) })
            doc.addScalar("\(s)/full_batch_best_lr", peak.location, units: "1",
                          description: "full-batch GD's best ε (parabola in ln ε through the seed-mean maximum and its neighbours; the grid point if censored)")
            doc.addScalar("\(s)/full_batch_best_lr_interior", peak.interior ? 1 : 0, units: "1",
                          description: "1 if full-batch GD's seed-mean best ε has a grid neighbour on both sides (0: censored, so the regime comparison may favour SGD)")
        }
        guard !small.isEmpty, setup.learningRateOverBatch.count >= 3 else { return }
        func peak(_ b: Int, _ draw: [UInt64]) -> ParabolicPeak {
            let rates = setup.learningRates(batchSize: b)
            return ParabolicPeak(x: rates, y: rates.map { seedMean(runs, b, $0, draw) })
        }
        let peaks = small.map { peak($0, seeds) }
        let bootstrapSeed = setup.seeds.reduce(0x5EED_B00F) { $0 &* 31 &+ $1 }
        let lnSE = small.map { b in SeedBootstrap(seeds: seeds, seed: bootstrapSeed ^ UInt64(b)) { log(peak(b, $0).location) }.standardError }
        let c = "/curves/lr-grid"
        doc.addDataset("\(c)/minibatch_size", .int64(small.map(Int64.init)), units: "examples", description: "minibatch sizes B < N of the best-ε fit")
        doc.addDataset("\(c)/best_learning_rate_parabolic", .double(peaks.map(\.location)), units: "1",
                       description: "best ε per B: vertex of the parabola in ln ε through the seed-mean maximum and its neighbours (grid point if censored)")
        doc.addDataset("\(c)/best_learning_rate_log_se", .double(lnSE), units: "ln ε",
                       description: "bootstrap standard error over seeds (1000 resamples) of ln best ε per B")
        doc.addDataset("\(c)/best_learning_rate_interior", .int64(peaks.map { $0.interior ? 1 : 0 }), units: "1",
                       description: "1 if the seed-mean maximum over ε has a grid neighbour on both sides (0: censored at an edge)")
        // The slope's minibatch sizes: B ≤ slope_max_batch_size (the small-batch regime chosen before the confirmatory run).
        let fitted = small.indices.filter { small[$0] <= setup.slopeMaxBatchSize }
        doc.addScalar("\(s)/best_lr_censored_count", Double(fitted.filter { !peaks[$0].interior }.count), units: "batch sizes",
                      description: "minibatch sizes B ≤ slope_max_batch_size whose seed-mean best ε is at an edge of the ε grid (censored)")
        doc.addScalar("\(s)/best_lr_censored_count_all", Double(peaks.filter { !$0.interior }.count), units: "batch sizes",
                      description: "minibatch sizes B < N whose seed-mean best ε is at an edge of the ε grid (censored)")
        // Equal ε/B below the optimum: for each column ε/B at or below the smallest best ε/B of the slope's B, the
        // range of seed-mean test accuracy over those B (the linear scaling rule where the runs are stable).
        let lowest = fitted.map { peaks[$0].location / Double(small[$0]) }.min() ?? .nan
        let below = setup.learningRateOverBatch.filter { $0 <= lowest }
        let spreads = below.map { r -> Double in
            let acc = fitted.map { seedMean(runs, small[$0], r * Double(small[$0]), seeds) }
            return acc.max()! - acc.min()!
        }
        let regularizerRatios = below.map { r -> Double in
            let reg = fitted.map { seedMean(runs, small[$0], r * Double(small[$0]), seeds, "variance_regularizer") }
            return reg.max()! / reg.min()!
        }
        doc.addScalar("\(s)/equal_ratio_regularizer_ratio_below_optimum", regularizerRatios.max() ?? .nan, units: "1",
                      description: "max over the same columns of max/min over those B of the seed-mean variance regulariser (ε/4m)Σₖ‖∇Ĉₖ − ∇C‖²")
        doc.addScalar("\(s)/equal_ratio_accuracy_spread_below_optimum", spreads.max() ?? .nan, units: "fraction",
                      description: "max over the columns ε/B ≤ the smallest best ε/B (B ≤ slope_max_batch_size) of the seed-mean test-accuracy range over those B")
        doc.addScalar("\(s)/equal_ratio_columns_below_optimum", Double(spreads.count), units: "columns",
                      description: "columns ε/B entering equal_ratio_accuracy_spread_below_optimum")
        guard fitted.count >= 2 else { return }
        let lnB = fitted.map { log(Double(small[$0])) }
        func slope(_ locations: [Double]) -> Double { LinearFit(x: lnB, y: locations.map { log($0) }).slope }
        let estimate = slope(fitted.map { peaks[$0].location })
        let boot = SeedBootstrap(seeds: seeds, seed: bootstrapSeed) { draw in slope(fitted.map { peak(small[$0], draw).location }) }
        doc.addBootstrapEstimate("\(s)/best_lr_slope", estimate, boot, units: "1",
                                 description: "least-squares slope of ln best ε (parabolic, seed means) on ln B over B ≤ slope_max_batch_size (ε ∝ B gives 1)")
    }
}

extension LearningRateGridSetup {
    /// The learning rates run at batch size `b`: ε/B·B for minibatches, the full batch's own list at B = N.
    func learningRates(batchSize b: Int) -> [Double] { b >= trainSize ? fullBatchLearningRates : learningRateOverBatch.map { $0 * Double(b) } }
}
