import ImplicitRegCore
import Testing

/// n examples of d features with all-distinct values (row r, feature j holds r·d + j, exact in
/// Float), labels cycling through `classes`.
private func distinctValues(n: Int = 5000, d: Int = 16, classes: Int = 10) -> Dataset<Float> {
    Dataset(name: "toy", inputs: Matrix(rows: n, cols: d, storage: (0..<(n * d)).map(Float.init)),
            labels: (0..<n).map { Int32($0 % classes) }, classCount: classes)
}

private func classCounts<T>(_ data: Dataset<T>) -> [Int] {
    var counts = [Int](repeating: 0, count: data.classCount)
    for label in data.labels { counts[Int(label)] += 1 }
    return counts
}

/// Mean and population variance of `values`.
private func moments(_ values: [Double]) -> (mean: Double, variance: Double) {
    let mean = values.reduce(0, +) / Double(values.count)
    return (mean, values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count))
}

@Suite("Data transforms")
struct DataTransformTests {
    // MARK: Subsets

    @Test func stratifiedSubsetsAreBalancedAndFollowTheSeed() throws {
        let data = distinctValues()
        func draw(_ seed: UInt64, perClass: Int) throws -> Dataset<Float> {
            var rng = Xoshiro256StarStar(seed: seed)
            return try data.stratifiedSubset(perClass: perClass, using: &rng)
        }
        let a = try draw(1, perClass: 30)
        #expect(a.count == 300 && classCounts(a) == [Int](repeating: 30, count: 10))
        #expect(Set(a.inputs.storage).count == a.inputs.storage.count)  // no example twice
        #expect(try a == draw(1, perClass: 30))
        #expect(try a.inputs != draw(2, perClass: 30).inputs)
        #expect(a.labels != a.labels.sorted())  // shuffled, not grouped by class

        var rng = Xoshiro256StarStar(seed: 3)
        let b = try data.stratifiedSubset(count: 1003, using: &rng)
        #expect(classCounts(b) == [101, 101, 101, 100, 100, 100, 100, 100, 100, 100])
    }

    @Test func splitPartitionsASeededPermutation() throws {
        let data = distinctValues(n: 100)
        var rng = Xoshiro256StarStar(seed: 5)
        let (first, rest) = try data.split(first: 30, using: &rng)
        #expect(first.count == 30 && rest.count == 70)
        let rows = (first.inputs.storage + rest.inputs.storage).sorted()
        #expect(rows == data.inputs.storage)
        var again = Xoshiro256StarStar(seed: 5)
        #expect(try data.split(first: 30, using: &again).first == first)
    }

    /// The indices are the rows `split` took (row r holds r·d …, so row r's first value / d is r),
    /// from the same single draw: the generator ends in the same state either way.
    @Test func splitIndicesAreTheRowsSplitTakes() throws {
        let data = distinctValues(n: 100)
        var a = Xoshiro256StarStar(seed: 5), b = Xoshiro256StarStar(seed: 5)
        let (first, rest) = try data.split(first: 30, using: &a)
        let indices = try data.splitIndices(first: 30, using: &b)
        #expect(indices.first.count == 30 && indices.rest.count == 70)
        #expect((indices.first + indices.rest).sorted() == Array(0..<100))
        #expect(indices.first == (0..<30).map { Int(first.inputs[$0, 0]) / 16 })
        #expect(indices.rest == (0..<70).map { Int(rest.inputs[$0, 0]) / 16 })
        #expect(a.next() == b.next())
        #expect(throws: DataError.self) { try data.splitIndices(first: 101, using: &b) }
    }

    // MARK: Labels

    /// With p = 1 every label is redrawn uniformly from 10 classes, so the number changed is
    /// Binomial(5000, 0.9): mean 4500, sd √(5000 · 0.9 · 0.1) ≈ 21.2. A ±5 sd band (4394...4606)
    /// fails by chance with probability < 10⁻⁶.
    @Test func fullCorruptionChangesAboutNinetyPercent() {
        let data = distinctValues()
        var rng = Xoshiro256StarStar(seed: 11)
        let (corrupted, changed) = data.corruptingLabels(fraction: 1, using: &rng)
        #expect((4394...4606).contains(changed))
        #expect(changed == zip(data.labels, corrupted.labels).filter { $0 != $1 }.count)
        #expect(corrupted.labels.allSatisfy { (0..<10).contains($0) })
        #expect(corrupted.inputs == data.inputs)
    }

    /// Rows 0–2 identical with labels 1, 1, 2 (one of them cannot be fitted), rows 3–4 identical
    /// with label 0, row 5 alone: at best 5 of 6.
    @Test func duplicatedInputsWithOtherLabelsBoundTheAchievableAccuracy() {
        let rows: [[Float]] = [[1, 2], [1, 2], [1, 2], [0, -1], [0, -1], [3, 3]]
        let data = Dataset(name: "dup", inputs: Matrix(rows: 6, cols: 2, storage: rows.flatMap { $0 }),
                           labels: [1, 1, 2, 0, 0, 4], classCount: 5)
        #expect(data.bestAchievableAccuracy == 5.0 / 6.0)
        #expect(data.duplicatedInputCount == 5)
        #expect(distinctValues(n: 100).bestAchievableAccuracy == 1 && distinctValues(n: 100).duplicatedInputCount == 0)
    }

    @Test func zeroCorruptionChangesNothing() {
        let data = distinctValues()
        var rng = Xoshiro256StarStar(seed: 12)
        let (same, changed) = data.corruptingLabels(fraction: 0, using: &rng)
        #expect(changed == 0 && same == data)
    }

    @Test func oneHotTargetsMatchLabels() throws {
        let data = distinctValues(n: 50).oneHotTargets()
        let targets = try #require(data.targets)
        #expect(targets.rows == 50 && targets.cols == 10)
        for r in 0..<50 {
            #expect(targets.row(r) == (0..<10).map { $0 == Int(data.labels[r]) ? 1 : 0 })
        }
    }

    // MARK: Inputs

    @Test func shuffledPixelsUseOnePermutationForAllExamples() {
        let data = distinctValues(n: 200)
        var rng = Xoshiro256StarStar(seed: 21)
        let permutation = rng.permutation(data.featureCount)
        let shuffled = data.shufflingPixels(permutation: permutation)
        for r in 0..<data.count {
            let before = data.inputs.row(r), after = shuffled.inputs.row(r)
            #expect(after.sorted() == before.sorted())  // the image's multiset of values
            #expect(after == permutation.map { before[$0] })  // by the same permutation
        }
        #expect(shuffled.labels == data.labels)
    }

    @Test func randomPixelsUseAFreshPermutationPerExample() {
        let data = distinctValues(n: 200)
        var rng = Xoshiro256StarStar(seed: 22)
        let randomized = data.randomizingPixels(using: &rng)
        var permutations = Set<[Int]>()
        for r in 0..<data.count {
            let before = data.inputs.row(r), after = randomized.inputs.row(r)
            #expect(after.sorted() == before.sorted())
            permutations.insert(after.map { Int($0) - r * data.featureCount })  // values are r·d + j
        }
        #expect(permutations.count == data.count)  // 16! permutations: a repeat would be a bug
    }

    /// 80,000 draws of N(0.3, 0.1): the sample mean has sd √(0.1/80000) ≈ 0.0011 and the sample
    /// variance sd 0.1·√(2/80000) ≈ 0.0005; the tolerances are 5 sd.
    @Test func gaussianInputsHaveTheRequestedMoments() {
        let data = distinctValues()
        var rng = Xoshiro256StarStar(seed: 31)
        let gaussian = data.replacingWithGaussian(mean: 0.3, variance: 0.1, using: &rng)
        let (mean, variance) = moments(gaussian.inputs.storage.map(Double.init))
        #expect(abs(mean - 0.3) < 0.0056)
        #expect(abs(variance - 0.1) < 0.0025)
        let reported = gaussian.pixelMoments()
        #expect(abs(reported.mean - mean) < 1e-9 && abs(reported.variance - variance) < 1e-9)
        #expect(gaussian.labels == data.labels)
    }

    @Test func pixelMomentsOfKnownValues() {
        let data = Dataset<Double>(name: "four", inputs: Matrix(rows: 2, cols: 2, storage: [0, 1, 2, 3]),
                                   labels: [0, 1], classCount: 2)
        #expect(data.pixelMoments() == (mean: 1.5, variance: 1.25))
    }

    // MARK: Standardisation

    /// Training features standardised with their own statistics have mean 0 and standard
    /// deviation sd/(sd + ε) (exactly, up to rounding); a constant feature stays 0.
    @Test func standardizedTrainingFeatures() {
        var rng = Xoshiro256StarStar(seed: 41)
        let n = 1000, scales = [0.0, 0.002, 1, 50]
        let storage = (0..<n).flatMap { _ in scales.enumerated().map { j, s in Double(j) + s * rng.nextNormal() } }
        let data = Dataset(name: "scaled", inputs: Matrix(rows: n, cols: scales.count, storage: storage),
                           labels: [Int32](repeating: 0, count: n), classCount: 1)
        let stats = data.featureMoments()
        let standardized = data.standardized(mean: stats.mean, sd: stats.sd, epsilon: 1e-3)
        for j in scales.indices {
            let column = (0..<n).map { standardized.inputs[$0, j] }
            let (mean, variance) = moments(column)
            #expect(abs(mean) < 1e-9)
            #expect(abs(variance.squareRoot() - stats.sd[j] / (stats.sd[j] + 1e-3)) < 1e-9)
        }
        #expect(stats.sd[0] == 0 && stats.mean[0] == 0)
    }

    // MARK: Synthetic data

    @Test func sparseRegressionPlantsSignedOnes() throws {
        var rng = Xoshiro256StarStar(seed: 51)
        let (data, planted) = SyntheticData.gaussianRegression(n: 40, d: 100, plantedNonzeros: 5, noise: 0,
                                                               as: Double.self, using: &rng)
        #expect(planted.filter { $0 != 0 }.count == 5 && planted.allSatisfy { [-1, 0, 1].contains($0) })
        let targets = try #require(data.targets)
        let fitted = data.inputs.times(planted)
        #expect((0..<40).allSatisfy { abs(fitted[$0] - targets[$0, 0]) < 1e-12 })
        var again = Xoshiro256StarStar(seed: 51)
        #expect(SyntheticData.gaussianRegression(n: 40, d: 100, plantedNonzeros: 5, noise: 0, as: Double.self,
                                                 using: &again).planted == planted)
    }

    /// Dense w* has N(0, 1/d) entries: ‖w*‖² has mean 1 and sd √(2/d) ≈ 0.07 for d = 400.
    @Test func denseRegressionHasUnitNormAndNoise() {
        var rng = Xoshiro256StarStar(seed: 52)
        let (data, planted) = SyntheticData.gaussianRegression(n: 2000, d: 400, plantedNonzeros: nil, noise: 0.5,
                                                               as: Float.self, using: &rng)
        #expect(abs(planted.reduce(0) { $0 + $1 * $1 } - 1) < 0.35)
        let x = Matrix<Double>(rows: 2000, cols: 400, storage: data.inputs.storage.map(Double.init))
        let fitted = x.times(planted)
        let residuals = (0..<2000).map { Double(data.targets![$0, 0]) - fitted[$0] }
        // Residual variance is σ² = 0.25 with sd 0.25·√(2/2000) ≈ 0.008 (plus Float rounding).
        #expect(abs(moments(residuals).variance - 0.25) < 0.04)
    }

    @Test func lowRankMatrixHasItsRankAndScale() {
        var rng = Xoshiro256StarStar(seed: 61)
        let m = SyntheticData.lowRankMatrix(rows: 30, cols: 20, rank: 2, using: &rng)
        #expect(abs(m.frobeniusNorm - (30.0 * 20).squareRoot()) < 1e-9)
        func det3(_ r: [Int], _ c: [Int]) -> Double {
            let a = r.map { i in c.map { m[i, $0] } }
            return a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
                + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0])
        }
        #expect(abs(det3([0, 7, 19], [1, 4, 13])) < 1e-9)  // every 3 × 3 minor of a rank-2 matrix vanishes
        #expect(abs(det3([2, 11, 29], [0, 8, 19])) < 1e-9)
        #expect(abs(m[0, 0] * m[1, 1] - m[0, 1] * m[1, 0]) > 1e-6)  // a 2 × 2 one does not
    }

    /// 400 masks of 30 of 100 entries: each entry is observed Binomial(400, 0.3) times, mean 120,
    /// sd ≈ 9.2; a ±5 sd band over 100 entries fails by chance with probability < 10⁻⁴.
    @Test func observationMasksAreSortedDistinctAndUniform() {
        var rng = Xoshiro256StarStar(seed: 71)
        var counts = [Int](repeating: 0, count: 100)
        for _ in 0..<400 {
            let mask = SyntheticData.observationMask(rows: 10, cols: 10, observed: 30, using: &rng)
            #expect(mask.count == 30 && mask == Array(Set(mask)).sorted() && mask.allSatisfy { (0..<100).contains($0) })
            for i in mask { counts[i] += 1 }
        }
        #expect(counts.allSatisfy { abs($0 - 120) <= 46 })
        var a = Xoshiro256StarStar(seed: 72), b = Xoshiro256StarStar(seed: 72)
        #expect(SyntheticData.observationMask(rows: 50, cols: 40, observed: 2000, using: &a)
                == SyntheticData.observationMask(rows: 50, cols: 40, observed: 2000, using: &b))
    }

    @Test func teacherLabelsAreReproducibleAndUseSeveralClasses() {
        var rng = Xoshiro256StarStar(seed: 81)
        let inputs = Matrix<Double>(rows: 500, cols: 20, storage: (0..<10_000).map { _ in rng.nextNormal() })
        var a = Xoshiro256StarStar(seed: 82), b = Xoshiro256StarStar(seed: 82)
        let labels = SyntheticData.teacherLabels(inputs: inputs, hidden: 64, classes: 5, using: &a)
        let fromFloat = SyntheticData.teacherLabels(inputs: inputs.converted(to: Float.self), hidden: 64, classes: 5, using: &b)
        #expect(labels.count == 500 && labels.allSatisfy { (0..<5).contains($0) })
        #expect(Set(labels).count >= 3)
        #expect(zip(labels, fromFloat).filter { $0 != $1 }.count <= 5)  // same teacher, Float rounding only
    }
}
