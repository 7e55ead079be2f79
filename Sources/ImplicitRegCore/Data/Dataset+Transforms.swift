// Subsets, splits, label corruption and the input randomisations of Zhang et al. 2017 (§2.1),
// plus standardisation and one-hot targets. Every random choice draws from the generator the
// caller passes, so each purpose keeps its own stream; the order of draws is documented on each
// function because it is part of what a seed reproduces. Element loops run on Doubles, row by
// row (see Matrix+Doubles.swift).

extension Dataset {
    // MARK: Subsets

    /// `perClass` examples of every class, in a shuffled order.
    ///
    /// Draws: for each class in turn, a partial Fisher–Yates over its examples (in data order)
    /// picks the members; then a Fisher–Yates shuffle orders the union. Every class must have at
    /// least `perClass` examples, else ``DataError/insufficient(dataset:reason:)`` names the
    /// class (and `field`, the config field that asked). The name gains "[stratified n]".
    public func stratifiedSubset(perClass: Int, field: String = "the subset size",
                                 using rng: inout Xoshiro256StarStar) throws -> Dataset {
        try stratifiedSubset(shares: [Int](repeating: perClass, count: classCount), field: field, using: &rng)
    }

    /// `count` examples with equal shares per class, the remainder going one each to the lowest
    /// classes (so 1003 of 10 classes is 101 × 3 and 100 × 7); otherwise as
    /// ``stratifiedSubset(perClass:using:)``.
    public func stratifiedSubset(count: Int, field: String = "the subset size",
                                 using rng: inout Xoshiro256StarStar) throws -> Dataset {
        guard classCount > 0 else { throw DataError.insufficient(dataset: name, reason: "a stratified subset needs class labels") }
        guard count >= 0 else { throw DataError.insufficient(dataset: name, reason: "\(field) asks for \(count) examples") }
        let shares = (0..<classCount).map { count / classCount + ($0 < count % classCount ? 1 : 0) }
        return try stratifiedSubset(shares: shares, field: field, using: &rng)
    }

    private func stratifiedSubset(shares: [Int], field: String, using rng: inout Xoshiro256StarStar) throws -> Dataset {
        guard classCount > 0, labels.count == count else {
            throw DataError.insufficient(dataset: name, reason: "a stratified subset needs class labels")
        }
        var byClass = [[Int]](repeating: [], count: classCount)
        for (i, label) in labels.enumerated() {
            guard label >= 0, Int(label) < classCount else {
                throw DataError.insufficient(dataset: name, reason: "label \(label) of example \(i) is outside 0..<\(classCount)")
            }
            byClass[Int(label)].append(i)
        }
        var chosen: [Int] = []
        for (c, share) in shares.enumerated() {
            var members = byClass[c]
            guard share >= 0, share <= members.count else {
                throw DataError.insufficient(dataset: name, reason: "it has \(members.count) examples of class \(c), fewer than the \(share) that \(field) = \(shares.reduce(0, +)) needs")
            }
            for i in 0..<share { members.swapAt(i, i + rng.nextInt(below: members.count - i)) }
            chosen += members[..<share]
        }
        rng.shuffle(&chosen)
        return subset(chosen, name: "\(name)[stratified \(chosen.count)]")
    }

    /// The first `first` examples of a seeded permutation (one `permutation(count)` draw) and the
    /// remaining ones, both in permuted order; the names gain "[split first n]" and "[split rest]".
    /// Fewer than `first` examples throw ``DataError/insufficient(dataset:reason:)`` naming
    /// `field`, the config field that asked.
    public func split(first: Int, field: String = "the split size",
                      using rng: inout Xoshiro256StarStar) throws -> (first: Dataset, rest: Dataset) {
        let indices = try splitIndices(first: first, field: field, using: &rng)
        return (subset(indices.first, name: "\(name)[split first \(first)]"),
                subset(indices.rest, name: "\(name)[split rest]"))
    }

    /// The rows ``split(first:field:using:)`` takes, for the same generator state: 0-based
    /// indices into this data set, the first `first` entries of the permutation and the rest, in
    /// permuted order (the order the split's examples are in). The same single draw, so a caller
    /// that needs the indices (to store them) draws exactly what `split` would.
    public func splitIndices(first: Int, field: String = "the split size",
                             using rng: inout Xoshiro256StarStar) throws -> (first: [Int], rest: [Int]) {
        guard first >= 0, first <= count else {
            throw DataError.insufficient(dataset: name, reason: "it has \(count) examples, fewer than the \(first) that \(field) asks for")
        }
        let order = rng.permutation(count)
        return (Array(order[..<first]), Array(order[first...]))
    }

    /// The first `n` examples; fewer throw ``DataError/insufficient(dataset:reason:)`` naming `field`.
    public func first(_ n: Int, field: String) throws -> Dataset {
        guard n >= 0, n <= count else {
            throw DataError.insufficient(dataset: name, reason: "it has \(count) examples, fewer than the \(n) that \(field) asks for")
        }
        return subset(Array(0..<n))
    }

    /// The last `n` examples; fewer throw ``DataError/insufficient(dataset:reason:)`` naming `field`.
    public func last(_ n: Int, field: String) throws -> Dataset {
        guard n >= 0, n <= count else {
            throw DataError.insufficient(dataset: name, reason: "it has \(count) examples, fewer than the \(n) that \(field) asks for")
        }
        return subset(Array((count - n)..<count))
    }

    // MARK: Labels

    /// Each label, independently with probability `p`, replaced by a class drawn uniformly from
    /// all classes (Zhang et al. 2017). The draw may return the old class, so about p(K − 1)/K of
    /// the labels change (0.9p for 10 classes); `changed` counts those that did.
    ///
    /// Draws: per example in order, one uniform, and one class when the uniform is below `p`.
    public func corruptingLabels(fraction p: Double, using rng: inout Xoshiro256StarStar) -> (Dataset, changed: Int) {
        precondition((0...1).contains(p), "the corrupted fraction must be in [0, 1], not \(p)")
        precondition(classCount > 0, "\(name): corrupting labels needs class labels")
        var out = self
        var changed = 0
        for i in labels.indices where rng.nextUniform() < p {
            let label = Int32(rng.nextInt(below: classCount))
            if label != labels[i] { changed += 1 }
            out.labels[i] = label
        }
        return (out, changed)
    }

    /// The same set with targets set to one-hot rows of the labels (count × classCount).
    public func oneHotTargets() -> Dataset {
        var out = self
        var targets = [Double](repeating: 0, count: count * classCount)
        for (i, label) in labels.enumerated() { targets[i * classCount + Int(label)] = 1 }
        out.targets = Matrix(rows: count, cols: classCount, doubles: targets)
        return out
    }

    // MARK: Inputs

    /// Every example's features permuted by the same `permutation` (feature j of the result is
    /// feature `permutation[j]` of the input): Zhang et al.'s shuffled pixels. Draw the
    /// permutation once and apply it to both the training and the test set.
    public func shufflingPixels(permutation: [Int]) -> Dataset {
        precondition(permutation.sorted() == Array(0..<featureCount),
                     "\(name): not a permutation of the \(featureCount) features")
        var out = self
        out.inputs.mapEachRow { _, row, result in
            for j in result.indices { result[j] = row[permutation[j]] }
        }
        return out
    }

    /// Every example's features permuted by its own fresh permutation: Zhang et al.'s random
    /// pixels. Draws: one `permutation(featureCount)` per example, in order.
    public func randomizingPixels(using rng: inout Xoshiro256StarStar) -> Dataset {
        var out = self
        out.inputs.mapEachRow { _, row, result in
            let permutation = rng.permutation(row.count)
            for j in result.indices { result[j] = row[permutation[j]] }
        }
        return out
    }

    /// Every input value replaced by an independent N(mean, variance) draw: Zhang et al.'s
    /// Gaussian images (pass the moments of the original training inputs, ``pixelMoments()``).
    /// Draws: one normal per value, in row-major order.
    public func replacingWithGaussian(mean: Double, variance: Double, using rng: inout Xoshiro256StarStar) -> Dataset {
        precondition(variance >= 0, "a variance must be non-negative, not \(variance)")
        let sd = variance.squareRoot()
        var out = self
        out.inputs.mapEachRow { _, _, result in
            for j in result.indices { result[j] = rng.nextNormal(mean: mean, sd: sd) }
        }
        return out
    }

    /// Mean and population variance (divided by the number of values) of all input values together.
    public func pixelMoments() -> (mean: Double, variance: Double) {
        let n = Double(max(inputs.storage.count, 1))
        var sum = 0.0, squares = 0.0
        inputs.forEachRow { _, row in sum += row.reduce(0, +) }
        let mean = sum / n
        inputs.forEachRow { _, row in squares += row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } }
        return (mean, squares / n)
    }

    // MARK: Standardisation

    /// Per-feature mean and population standard deviation (divided by the number of examples).
    public func featureMoments() -> (mean: [Double], sd: [Double]) {
        let n = Double(max(count, 1))
        var mean = [Double](repeating: 0, count: featureCount)
        mean.withUnsafeMutableBufferPointer { m in
            inputs.forEachRow { _, row in for j in row.indices { m[j] += row[j] } }
            for j in m.indices { m[j] /= n }
        }
        let means = mean
        var squares = [Double](repeating: 0, count: featureCount)
        squares.withUnsafeMutableBufferPointer { s in
            inputs.forEachRow { _, row in for j in row.indices { s[j] += (row[j] - means[j]) * (row[j] - means[j]) } }
        }
        return (means, squares.map { ($0 / n).squareRoot() })
    }

    /// x ↦ (x − mean) / (sd + ε) per feature. Pass the training set's ``featureMoments()`` to both
    /// the training and the test set. The suite uses ε = 10⁻³, which keeps constant features
    /// (sd 0, such as MNIST's border pixels) finite; standardised training features then have
    /// mean 0 and standard deviation sd / (sd + ε).
    public func standardized(mean: [Double], sd: [Double], epsilon: Double = 1e-3) -> Dataset {
        precondition(mean.count == featureCount && sd.count == featureCount,
                     "\(name): statistics for \(mean.count)/\(sd.count) features, the set has \(featureCount)")
        let divisor = sd.map { $0 + epsilon }
        var out = self
        out.inputs.mapEachRow { _, row, result in
            for j in result.indices { result[j] = (row[j] - mean[j]) / divisor[j] }
        }
        return out
    }
}
