/// Synthetic data with a known ground truth: planted regression vectors, low-rank matrices with
/// observation masks, and labels from a random teacher network. Every function draws only from
/// the generator passed in, in the order its documentation gives.
public enum SyntheticData {
    /// Linear regression data y = X·w* + ε with X ~ N(0, 1) entries (n × d) and ε ~ N(0, σ²).
    ///
    /// The planted w* is, with `plantedNonzeros k`, k-sparse: k coordinates chosen uniformly
    /// without replacement, each ±1 with a fair random sign (equal magnitudes keep the support
    /// unambiguous, ‖w*‖² = k); with nil it is dense with N(0, 1/d) entries (E‖w*‖² = 1).
    /// Draws: w* (sparse: one `permutation(d)`, then k signs; dense: d normals), then X row by
    /// row, then ε. The set is named "synthetic/gaussian-regression", with n × 1 targets.
    public static func gaussianRegression<T: BLASScalar>(
        n: Int, d: Int, plantedNonzeros k: Int?, noise sd: Double, as: T.Type = T.self,
        using rng: inout Xoshiro256StarStar
    ) -> (Dataset<T>, planted: [Double]) {
        precondition(n >= 0 && d > 0 && sd >= 0, "need n ≥ 0, d > 0 and a non-negative noise level")
        var planted = [Double](repeating: 0, count: d)
        if let k {
            precondition(k >= 0 && k <= d, "cannot plant \(k) non-zeros in \(d) coordinates")
            for j in rng.permutation(d).prefix(k) { planted[j] = rng.nextInt(below: 2) == 0 ? -1 : 1 }
        } else {
            let scale = 1 / Double(d).squareRoot()
            for j in 0..<d { planted[j] = scale * rng.nextNormal() }
        }
        let x = normalMatrix(rows: n, cols: d, sd: 1, using: &rng)
        var y = x.times(planted)
        for i in 0..<n { y[i] += sd * rng.nextNormal() }
        let data = Dataset(name: "synthetic/gaussian-regression", inputs: Matrix<T>(rows: n, cols: d, doubles: x.storage),
                           targets: Matrix<T>(rows: n, cols: 1, doubles: y))
        return (data, planted)
    }

    /// A rows × cols matrix of rank `rank` (almost surely), U·Vᵀ with N(0, 1) factors U (rows × rank)
    /// and V (cols × rank), scaled so that its Frobenius norm is √(rows·cols): its entries have
    /// root-mean-square 1 whatever the rank. Draws: U row by row, then V row by row.
    public static func lowRankMatrix(rows: Int, cols: Int, rank: Int, using rng: inout Xoshiro256StarStar) -> Matrix<Double> {
        precondition(rows > 0 && cols > 0 && rank > 0, "need positive dimensions and rank")
        let u = normalMatrix(rows: rows, cols: rank, sd: 1, using: &rng)
        let v = normalMatrix(rows: cols, cols: rank, sd: 1, using: &rng)
        var m = Matrix.product(u, transposed: false, v, transposed: true)
        let scale = Double(rows * cols).squareRoot() / m.frobeniusNorm
        for i in m.storage.indices { m.storage[i] *= scale }
        return m
    }

    /// `count` distinct linear indices (r·cols + c) of a rows × cols matrix, uniformly at random
    /// without replacement, sorted ascending. Draws: `count` bounded integers (Floyd's algorithm).
    public static func observationMask(rows: Int, cols: Int, observed count: Int, using rng: inout Xoshiro256StarStar) -> [Int] {
        let total = rows * cols
        precondition(count >= 0 && count <= total, "cannot observe \(count) of \(total) entries")
        var chosen = Set<Int>(minimumCapacity: count)
        for j in (total - count)..<total {
            let t = rng.nextInt(below: j + 1)
            chosen.insert(chosen.contains(t) ? j : t)
        }
        return chosen.sorted()
    }

    /// Labels from a random teacher: argmax of ReLU(x·W₁)·W₂ per row of `inputs`, with
    /// W₁ ~ N(0, 1/d) (d × hidden), W₂ ~ N(0, 1/hidden) (hidden × classes), no biases; ties go
    /// to the lowest class. Classes need not be balanced. Draws: W₁ row by row, then W₂.
    public static func teacherLabels<T: BLASScalar>(inputs: Matrix<T>, hidden: Int, classes: Int,
                                                    using rng: inout Xoshiro256StarStar) -> [Int32] {
        precondition(inputs.cols > 0 && hidden > 0 && classes > 0, "need features, hidden units and classes")
        let w1 = normalMatrix(rows: inputs.cols, cols: hidden, sd: 1 / Double(inputs.cols).squareRoot(), using: &rng)
        let w2 = normalMatrix(rows: hidden, cols: classes, sd: 1 / Double(hidden).squareRoot(), using: &rng)
        let preActivation = Matrix.product(inputs, Matrix<T>(rows: w1.rows, cols: w1.cols, doubles: w1.storage))
        let h = Matrix<Double>(rows: preActivation.rows, cols: hidden, storage: preActivation.doubles.map { max($0, 0) })
        let logits = Matrix.product(h, w2)
        return (0..<logits.rows).map { r in
            var best = 0
            for c in 1..<classes where logits[r, c] > logits[r, best] { best = c }
            return Int32(best)
        }
    }

    /// A rows × cols matrix of independent N(0, sd²) entries, drawn row by row.
    private static func normalMatrix(rows: Int, cols: Int, sd: Double, using rng: inout Xoshiro256StarStar) -> Matrix<Double> {
        Matrix(rows: rows, cols: cols, storage: (0..<(rows * cols)).map { _ in sd * rng.nextNormal() })
    }
}
