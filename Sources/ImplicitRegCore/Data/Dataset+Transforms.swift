// Subsets, splits, label corruption and the input randomisations of Zhang et al. 2017 (§2.1).
// Every random choice takes the caller's generator, so each purpose draws from its own stream.

extension Dataset {
    /// `count` examples with equal shares per class (the remainder to the lowest classes), each
    /// class's examples drawn without replacement, returned in a shuffled order.
    public func stratifiedSubset(count: Int, using rng: inout Xoshiro256StarStar) -> Dataset {
        precondition(classCount > 0, "\(name): a stratified subset needs class labels")
        var byClass = [[Int]](repeating: [], count: classCount)
        for (i, label) in labels.enumerated() { byClass[Int(label)].append(i) }
        var chosen: [Int] = []
        for c in 0..<classCount {
            let share = count / classCount + (c < count % classCount ? 1 : 0)
            precondition(share <= byClass[c].count, "\(name): class \(c) has \(byClass[c].count) examples, \(share) requested")
            var members = byClass[c]
            rng.shuffle(&members)
            chosen += members.prefix(share)
        }
        rng.shuffle(&chosen)
        return subset(chosen, name: "\(name)[stratified \(count)]")
    }

    /// A seeded permutation split: its first `first` examples, and the rest.
    public func split(first: Int, using rng: inout Xoshiro256StarStar) -> (Dataset, Dataset) {
        precondition(first >= 0 && first <= count, "\(name): cannot take \(first) of \(count) examples")
        let order = rng.permutation(count)
        return (subset(Array(order[..<first]), name: "\(name)[split first \(first)]"),
                subset(Array(order[first...]), name: "\(name)[split rest]"))
    }

    /// Each label, independently with probability `p`, replaced by a class drawn uniformly from
    /// all classes (it may stay the same, so ≈ p(K − 1)/K change). Returns the set and how many changed.
    public func corruptingLabels(fraction p: Double, using rng: inout Xoshiro256StarStar) -> (Dataset, changed: Int) {
        var out = self
        var changed = 0
        for i in labels.indices where rng.nextUniform() < p {
            let label = Int32(rng.nextInt(below: classCount))
            if label != labels[i] { changed += 1 }
            out.labels[i] = label
        }
        return (out, changed)
    }

    /// Every example's features permuted by the same `permutation` (shuffled pixels: draw it once
    /// and apply it to the training and the test set).
    public func shufflingPixels(permutation: [Int]) -> Dataset {
        precondition(permutation.count == featureCount, "permutation has \(permutation.count) entries for \(featureCount) features")
        var out = self
        for r in 0..<count {
            for (j, source) in permutation.enumerated() { out.inputs[r, j] = inputs[r, source] }
        }
        return out
    }

    /// Each example's features permuted by its own fresh permutation (random pixels).
    public func randomizingPixels(using rng: inout Xoshiro256StarStar) -> Dataset {
        var out = self
        for r in 0..<count {
            let permutation = rng.permutation(featureCount)
            for (j, source) in permutation.enumerated() { out.inputs[r, j] = inputs[r, source] }
        }
        return out
    }

    /// Mean and variance of all input values together.
    public func pixelMoments() -> (mean: Double, variance: Double) {
        let n = Double(inputs.storage.count)
        let mean = inputs.storage.reduce(0.0) { $0 + Double($1) } / n
        let variance = inputs.storage.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
        return (mean, variance)
    }

    /// Every input value replaced by an independent N(mean, variance) draw (Gaussian images).
    public func replacingWithGaussian(mean: Double, variance: Double, using rng: inout Xoshiro256StarStar) -> Dataset {
        var out = self
        let sd = variance.squareRoot()
        for i in out.inputs.storage.indices { out.inputs.storage[i] = T(rng.nextNormal(mean: mean, sd: sd)) }
        return out
    }

    /// Per-feature mean and standard deviation (population form) over the examples.
    public func featureMoments() -> (mean: [Double], sd: [Double]) {
        var mean = [Double](repeating: 0, count: featureCount)
        var square = [Double](repeating: 0, count: featureCount)
        for r in 0..<count {
            for j in 0..<featureCount {
                let v = Double(inputs[r, j])
                mean[j] += v
                square[j] += v * v
            }
        }
        let n = Double(max(count, 1))
        let sd = (0..<featureCount).map { j in max(square[j] / n - (mean[j] / n) * (mean[j] / n), 0).squareRoot() }
        return (mean.map { $0 / n }, sd)
    }

    /// (x − mean) / (sd + ε) per feature, with statistics from the training set (pass the same to
    /// the test set). The suite uses ε = 10⁻³ so constant pixels (sd 0) stay finite.
    public func standardized(mean: [Double], sd: [Double], epsilon: Double = 1e-3) -> Dataset {
        var out = self
        let scale = sd.map { 1 / ($0 + epsilon) }
        for r in 0..<count {
            for j in 0..<featureCount { out.inputs[r, j] = T((Double(inputs[r, j]) - mean[j]) * scale[j]) }
        }
        return out
    }

    /// The same set with one-hot rows of the labels as regression targets.
    public func oneHotTargets() -> Dataset {
        var out = self
        var t = Matrix<T>(rows: count, cols: classCount)
        for (i, label) in labels.enumerated() { t[i, Int(label)] = 1 }
        out.targets = t
        return out
    }
}
