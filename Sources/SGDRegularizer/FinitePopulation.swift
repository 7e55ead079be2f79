import ImplicitRegCore

/// The partition average of the SGD regulariser. With Σ = (1/N) Σᵢ (∇Cᵢ − ∇C)(∇Cᵢ − ∇C)ᵀ,
///
///     E_partition[(1/m) Σₖ ‖∇Ĉₖ − ∇C‖²] = ((N − B)/(B(N − 1))) · Tr Σ
///
/// exactly (sampling without replacement), so (ε/4m)Σₖ‖∇Ĉₖ − ∇C‖² averages to (ε/4B)((N − B)/(N − 1))Tr Σ:
/// at fixed ε/B it is constant across B while B ≪ N.
enum FinitePopulation {
    /// Exact enumeration on the N examples at θ: the largest relative difference of the two sides over
    /// the batch sizes. `batchGradient(indices)` is ∇ of the mean loss over those examples.
    static func exact(count n: Int, batchSizes: [Int], batchGradient: ([Int]) -> [Double], prefix: String,
                      into doc: inout HDF5Document) {
        let g = batchGradient(Array(0..<n))
        let perExample = (0..<n).map { batchGradient([$0]) }
        let traceSigma = perExample.map { Vector.distance($0, g) * Vector.distance($0, g) }.reduce(0, +) / Double(n)
        var lhs: [Double] = [], rhs: [Double] = []
        for b in batchSizes {
            let partitions = Enumeration.partitions(n, blockSize: b)
            let total = partitions.map { p in
                p.map { block in let d = Vector.distance(batchGradient(block), g); return d * d }.reduce(0, +) / Double(p.count)
            }.reduce(0, +)
            lhs.append(total / Double(partitions.count))
            rhs.append(Double(n - b) / (Double(b) * Double(n - 1)) * traceSigma)
        }
        doc.addDataset("/curves/\(prefix)/batch_size", .int64(batchSizes.map(Int64.init)), units: "examples", description: "minibatch size B")
        doc.addDataset("/curves/\(prefix)/partition_average", .double(lhs), units: "gradient²",
                       description: "E_partition[(1/m)Σₖ‖∇Ĉₖ − ∇C‖²], exact over every partition into blocks of B")
        doc.addDataset("/curves/\(prefix)/finite_population_formula", .double(rhs), units: "gradient²",
                       description: "((N − B)/(B(N − 1)))·Tr Σ")
        doc.addScalar("/summary/\(prefix)/trace_sigma", traceSigma, units: "gradient²", description: "Tr Σ of the per-example gradients at θ")
        doc.addScalar("/summary/\(prefix)/identity_relative_difference", zip(lhs, rhs).map { abs($0 - $1) / abs($1) }.max()!, units: "1",
                      description: "max over B of |exact partition average − formula| / formula")
    }

    /// Monte Carlo over random partitions of a synthetic population at fixed ε/B: the value of the
    /// variance part (ε/4m)Σₖ‖∇Ĉₖ − ∇C‖² of the regulariser for each B.
    static func scaling(_ setup: FinitePopulationSetup, start: [Double], streams: RandomStreams, into doc: inout HDF5Document) {
        var rng = streams.stream("finite-population-data")
        let n = setup.populationSize
        let x = (0..<n).map { _ in rng.nextNormal() }
        let y = x.map { 2 * $0 + 0.5 * rng.nextNormal() }
        let a = start[0], b = start[1]
        // ∇Cᵢ = rᵢ xᵢ (b, a): every gradient is a multiple sᵢ = rᵢxᵢ of w = (b, a).
        let s = zip(x, y).map { (a * b * $0 - $1) * $0 }
        let w2 = a * a + b * b
        let mean = s.reduce(0, +) / Double(n)
        let traceSigma = s.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n) * w2
        var partitionRNG = streams.stream("finite-population-partitions")
        var values: [Double] = [], theory: [Double] = [], errors: [Double] = []
        for batch in setup.batchSizes {
            let ε = setup.learningRateOverBatch * Double(batch)
            let m = n / batch
            var samples: [Double] = []
            for _ in 0..<setup.partitions {
                let order = partitionRNG.permutation(n)
                var total = 0.0
                for k in 0..<m {
                    var sk = 0.0
                    for j in 0..<batch { sk += s[order[k * batch + j]] }
                    let d = sk / Double(batch) - mean
                    total += d * d * w2
                }
                samples.append(ε / 4 * total / Double(m))
            }
            let average = samples.reduce(0, +) / Double(samples.count)
            let variance = samples.map { ($0 - average) * ($0 - average) }.reduce(0, +) / Double(max(samples.count - 1, 1))
            values.append(average)
            errors.append((variance / Double(samples.count)).squareRoot())
            theory.append(ε / (4 * Double(batch)) * Double(n - batch) / Double(n - 1) * traceSigma)
        }
        let prefix = "finite-population/scaling"
        doc.addDataset("/curves/\(prefix)/batch_size", .int64(setup.batchSizes.map(Int64.init)), units: "examples", description: "minibatch size B")
        doc.addDataset("/curves/\(prefix)/regulariser", .double(values), units: "loss",
                       description: "(ε/4m)Σₖ‖∇Ĉₖ − ∇C‖² at ε = \(setup.learningRateOverBatch)·B, mean over \(setup.partitions) random partitions")
        doc.addDataset("/curves/\(prefix)/regulariser_standard_error", .double(errors), units: "loss", description: "Monte Carlo standard error")
        doc.addDataset("/curves/\(prefix)/regulariser_formula", .double(theory), units: "loss",
                       description: "(ε/4B)((N − B)/(N − 1))Tr Σ")
        let small = setup.batchSizes.indices.filter { Double(setup.batchSizes[$0]) <= setup.smallBatchFraction * Double(n) }
        let reference = values[small.first ?? 0]
        doc.addScalar("/summary/\(prefix)/small_batch_max_deviation", small.map { abs(values[$0] / reference - 1) }.max() ?? .nan, units: "1",
                      description: "max over B ≤ \(setup.smallBatchFraction)·N of |R(B)/R(B_min) − 1| at fixed ε/B (small: the ε/B scaling)")
        doc.addScalar("/summary/\(prefix)/formula_max_deviation_in_se", zip(values, zip(theory, errors)).map { abs($0 - $1.0) / max($1.1, 1e-9 * $1.0) }.max()!, units: "standard errors",
                      description: "max over B of |Monte Carlo mean − formula| in Monte Carlo standard errors (floored at 1e-9 of the formula: at B = 1 every partition is the same)")
        doc.addScalar("/summary/\(prefix)/largest_batch_ratio", values.last! / reference, units: "1",
                      description: "R at the largest B over R at the smallest, fixed ε/B (theory (N − B)/(N − 1)): where the small-batch regime has ended")
    }
}
