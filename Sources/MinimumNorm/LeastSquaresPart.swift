import Foundation
import ImplicitRegCore
import ReadingSupport

/// Zhang et al. 2017 §5: GD/SGD from w₀ on under-determined least squares converge to the
/// interpolant nearest w₀ (from 0, the minimum-ℓ2 one X⁺y), and unregularized RBF kernel
/// interpolation generalizes, with a much larger RKHS norm on random labels.
enum LeastSquaresPart {
    static func points(_ config: MinimumNormConfig) -> [PointSpec] {
        let c = config.leastSquares
        var out = c.seeds.map { PointSpec.gaussian(seed: config.seed &+ $0) }
        if let k = c.kernel {
            out += k.bandwidthFactors.map { PointSpec.kernel(bandwidthFactor: $0, seed: config.seed) }
        }
        return out
    }

    /// GD/SGD: a few hundred passes over X (4nd flops each); kernel: the Gram matrices and one
    /// Cholesky per right-hand side family (n³/3 flops each), at ~10 GFLOP/s.
    static func estimatedCost(_ point: PointSpec, config: MinimumNormConfig) -> Double {
        let c = config.leastSquares
        switch point.experiment {
        case .gaussian:
            return Double(4 * c.n * c.d) * Double(2 * c.gdMaxSteps / 10 + 2 * c.sgdEpochs) / 1e9
        default:
            let n = Double(c.kernel?.trainSize ?? 0)
            return (n * n * n / 3 * Double(1 + (c.kernel?.ridges.count ?? 0)) + 2 * n * n * 784) / 1e10 + 2
        }
    }

    static func run(_ point: PointSpec, config: MinimumNormConfig, context: RunContext) throws -> HDF5Document {
        switch point {
        case .kernel(let c, _): try runKernel(bandwidthFactor: c, config: config.leastSquares.kernel!, context: context)
        default: try runGaussian(config: config.leastSquares, context: context)
        }
    }

    // MARK: GD and SGD on a Gaussian instance

    static func runGaussian(config c: LeastSquaresConfig, context: RunContext) throws -> HDF5Document {
        let streams = context.streams
        var rng = streams.stream("instance")
        let sd = 1 / Double(c.d).squareRoot()
        let x = Matrix(rows: c.n, cols: c.d, storage: (0..<(c.n * c.d)).map { _ in sd * rng.nextNormal() })
        let y = (0..<c.n).map { _ in rng.nextNormal() }
        var startRNG = streams.stream(.initialization)
        let w0 = (0..<c.d).map { _ in c.startSd * startRNG.nextNormal() }
        let zero = [Double](repeating: 0, count: c.d)
        let pinv = try x.minimumL2Interpolant(y)
        let nearest = try x.minimumL2Interpolant(y, from: w0)

        var doc = HDF5Document()
        var rows: [String: (steps: [Double], distance: [Double])] = [:]
        func record(_ name: String, target: [Double]) -> (Int, [Double]) -> Void {
            { step, w in
                rows[name, default: ([], [])].steps.append(Double(step))
                rows[name, default: ([], [])].distance.append(Vec.relativeDistance(w, target))
            }
        }
        context.progress.say("  GD from 0 and from w₀, n = \(c.n), d = \(c.d)")
        let gdZero = LeastSquaresDescent.gradientDescent(x, y, from: zero, learningRate: c.gdLearningRate, steps: c.gdMaxSteps,
                                                         stopResidual: c.gdStopResidual, every: 5, observe: record("gd_zero", target: pinv.solution))
        let gdStart = LeastSquaresDescent.gradientDescent(x, y, from: w0, learningRate: c.gdLearningRate, steps: c.gdMaxSteps,
                                                          stopResidual: c.gdStopResidual, every: 5, observe: record("gd_start", target: nearest.solution))
        context.progress.say("  SGD from 0 and from w₀, \(c.sgdEpochs) epochs")
        var shuffle = streams.stream(.shuffle)
        let sgdZero = LeastSquaresDescent.stochasticGradientDescent(x, y, from: zero, learningRate: c.sgdLearningRate, epochs: c.sgdEpochs,
                                                                    using: &shuffle, observe: record("sgd_zero", target: pinv.solution))
        let sgdStart = LeastSquaresDescent.stochasticGradientDescent(x, y, from: w0, learningRate: c.sgdLearningRate, epochs: c.sgdEpochs,
                                                                     using: &shuffle, observe: record("sgd_start", target: nearest.solution))
        for w in [gdZero.w, gdStart.w, sgdZero, sgdStart] where !w.allSatisfy(\.isFinite) {
            throw TrainingError.diverged(epoch: 0, step: 0, loss: .nan, learningRate: c.gdLearningRate)
        }
        for (name, curve) in rows.sorted(by: { $0.key < $1.key }) {
            let unit = name.hasPrefix("gd") ? "steps" : "epochs"
            doc.addVector("/curves/\(name)/\(unit == "steps" ? "step" : "epoch")", curve.steps, units: unit, description: "GD steps (every 5th) or SGD epochs")
            doc.addVector("/curves/\(name)/relative_distance", curve.distance, units: "1",
                          description: "‖w − w_target‖/‖w_target‖ with w_target = X⁺y (from 0) or w₀ + X⁺(y − Xw₀) (from w₀)")
        }
        // A far interpolant: the minimum-norm one plus a null-space component of the same norm.
        let nullPart = Vec.sub(w0, try x.minimumL2Interpolant(x.times(w0)).solution)
        let scale = Vec.norm(pinv.solution) / Vec.norm(nullPart)
        let far = zip(pinv.solution, nullPart).map { $0 + scale * $1 }

        doc.addMatrix("/instance/X", x, units: "1", description: "design matrix X (n × d), N(0, 1/d) entries")
        doc.addVector("/instance/y", y, units: "1", description: "targets y ~ N(0, 1)")
        doc.addVector("/instance/w0", w0, units: "1", description: "second starting point w₀ ~ N(0, start_sd²)")
        doc.addVector("/solutions/minimum_l2", pinv.solution, units: "1", description: "X⁺y by Cholesky of XXᵀ, cross-checked by SVD")
        doc.addVector("/solutions/nearest_to_w0", nearest.solution, units: "1", description: "w₀ + X⁺(y − Xw₀)")
        doc.addVector("/solutions/gd_zero", gdZero.w, units: "1", description: "GD from 0")
        doc.addVector("/solutions/gd_start", gdStart.w, units: "1", description: "GD from w₀")
        doc.addVector("/solutions/sgd_zero", sgdZero, units: "1", description: "per-example SGD from 0")
        doc.addVector("/solutions/sgd_start", sgdStart, units: "1", description: "per-example SGD from w₀")
        let s = "/summary"
        doc.addScalar("\(s)/gd_zero_distance", Vec.relativeDistance(gdZero.w, pinv.solution), units: "1", description: "‖w_GD − X⁺y‖/‖X⁺y‖, GD from 0")
        doc.addScalar("\(s)/gd_start_distance", Vec.relativeDistance(gdStart.w, nearest.solution), units: "1",
                      description: "‖w_GD − w*‖/‖w*‖ with w* = w₀ + X⁺(y − Xw₀), GD from w₀")
        doc.addScalar("\(s)/sgd_zero_distance", Vec.relativeDistance(sgdZero, pinv.solution), units: "1", description: "‖w_SGD − X⁺y‖/‖X⁺y‖, SGD from 0")
        doc.addScalar("\(s)/sgd_start_distance", Vec.relativeDistance(sgdStart, nearest.solution), units: "1", description: "the same from w₀, to w₀ + X⁺(y − Xw₀)")
        doc.addScalar("\(s)/gd_start_to_minimum_l2", Vec.relativeDistance(gdStart.w, pinv.solution), units: "1",
                      description: "‖w_GD(w₀) − X⁺y‖/‖X⁺y‖: the start's null-space component stays")
        doc.addScalar("\(s)/gd_steps", Double(gdZero.steps), units: "steps", description: "GD steps from 0 to the residual stop")
        doc.addScalar("\(s)/norm_minimum_l2", Vec.norm(pinv.solution), units: "1", description: "‖X⁺y‖")
        doc.addScalar("\(s)/norm_sgd_zero", Vec.norm(sgdZero), units: "1", description: "‖w_SGD‖ from 0")
        doc.addScalar("\(s)/norm_far_interpolant", Vec.norm(far), units: "1", description: "norm of X⁺y plus a null-space vector of equal norm (another interpolant)")
        doc.addScalar("\(s)/solver_svd_discrepancy", pinv.svdDiscrepancy, units: "1", description: "Cholesky vs SVD minimum-ℓ2 solution")
        return doc
    }

    // MARK: RBF kernel interpolation on MNIST-5k

    static func runKernel(bandwidthFactor c: Double, config k: KernelConfig, context: RunContext) throws -> HDF5Document {
        let all = try context.cached("minimum-norm/mnist-5k") { try MNIST5k.load(from: context.data, as: Double.self) }
        let streams = context.streams
        var splitRNG = streams.stream(.subset)
        // The rows of MNIST-5k (file order) taken, stored for an outside recheck: the first
        // train_size of a seeded permutation train, the next test_size test.
        let split = try all.splitIndices(first: k.trainSize, field: "least_squares.kernel.train_size", using: &splitRNG)
        let train = all.subset(split.first)
        let test = try all.subset(split.rest).first(k.testSize, field: "least_squares.kernel.test_size")
        let testIndices = Array(split.rest.prefix(k.testSize))
        let kernel = RBFKernel.medianHeuristic(train.inputs, bandwidthFactor: c, sample: k.medianSample)
        context.progress.say("  RBF kernel, c = \(c), γ = \(kernel.gamma), n = \(train.count)")
        let gram = kernel.matrix(train.inputs, train.inputs)
        let cross = kernel.matrix(test.inputs, train.inputs)
        var labelRNG = streams.stream(.labels)
        let randomLabels = (0..<train.count).map { _ in Int32(labelRNG.nextInt(below: 10)) }
        func oneHot(_ labels: [Int32]) -> Matrix<Double> {
            var y = Matrix<Double>(rows: labels.count, cols: 10)
            for (i, l) in labels.enumerated() { y[i, Int(l)] = 1 }
            return y
        }
        func accuracy(_ scores: Matrix<Double>, _ labels: [Int32]) -> Double {
            var right = 0
            for i in 0..<scores.rows {
                var best = 0
                for j in 1..<10 where scores[i, j] > scores[i, best] { best = j }
                if Int32(best) == labels[i] { right += 1 }
            }
            return Double(right) / Double(scores.rows)
        }
        /// (K + λI)α = Y; returns α and the relative residual.
        func fit(_ y: Matrix<Double>, ridge: Double) throws -> (Matrix<Double>, Double) {
            var a = gram
            for i in 0..<a.rows { a[i, i] += ridge }
            let alpha = try CholeskyFactor(a, tolerance: 1e-12).solve(y)
            let r = Matrix.product(a, alpha)
            let residual = Vec.norm(zip(r.storage, y.storage).map { $0 - $1 }) / y.frobeniusNorm
            return (alpha, residual)
        }
        func rkhsNorm(_ alpha: Matrix<Double>) -> Double {
            let ka = Matrix.product(gram, alpha)
            return zip(ka.storage, alpha.storage).reduce(0) { $0 + $1.0 * $1.1 }.squareRoot()
        }
        let yTrue = oneHot(train.labels), yRandom = oneHot(randomLabels)
        let (alphaTrue, residualTrue) = try fit(yTrue, ridge: 0)
        let (alphaRandom, residualRandom) = try fit(yRandom, ridge: 0)
        try SolverCertificateErrorCheck.require("kernel interpolation ‖Kα − Y‖/‖Y‖ (true labels)", residualTrue, 1e-6)
        try SolverCertificateErrorCheck.require("kernel interpolation ‖Kα − Y‖/‖Y‖ (random labels)", residualRandom, 1e-6)
        let testError = 1 - accuracy(Matrix.product(cross, alphaTrue), test.labels)
        let trainAccuracy = accuracy(Matrix.product(gram, alphaTrue), train.labels)
        let randomTrainAccuracy = accuracy(Matrix.product(gram, alphaRandom), randomLabels)
        let randomTestError = 1 - accuracy(Matrix.product(cross, alphaRandom), test.labels)
        var ridgeErrors: [Double] = []
        for lambda in k.ridges {
            let (alpha, _) = try fit(yTrue, ridge: lambda)
            ridgeErrors.append(1 - accuracy(Matrix.product(cross, alpha), test.labels))
        }
        let normTrue = rkhsNorm(alphaTrue), normRandom = rkhsNorm(alphaRandom)

        var doc = HDF5Document()
        doc.addVector("/curves/ridge", k.ridges, units: "1", description: "ridge λ of (K + λI)α = Y")
        doc.addVector("/curves/ridge_test_error", ridgeErrors, units: "fraction", description: "test error with ridge λ (true labels)")
        doc.addDataset("/instance/random_labels", .int32(randomLabels), units: "class", description: "the random labelling of the training images")
        doc.setAttribute("split", .string("MNIST-5k, seeded split (stream data-subset): first \(k.trainSize) train, next \(k.testSize) test"), on: "/instance")
        try addKernelInstance(&doc, trainIndices: split.first, testIndices: testIndices, kernel: kernel, bandwidthFactor: c, config: k, context: context)
        let s = "/summary"
        doc.addScalar("\(s)/gamma", kernel.gamma, units: "1/pixel²", description: "γ = 1/(c·median squared distance)")
        doc.addScalar("\(s)/test_error", testError, units: "fraction", description: "test error of the interpolant (no ridge)")
        doc.addScalar("\(s)/train_accuracy", trainAccuracy, units: "fraction", description: "training accuracy of the interpolant")
        doc.addScalar("\(s)/random_train_accuracy", randomTrainAccuracy, units: "fraction", description: "training accuracy on the random labels")
        doc.addScalar("\(s)/random_test_error", randomTestError, units: "fraction", description: "test error (true labels) of the random-label interpolant")
        doc.addScalar("\(s)/ridge_best_error", ridgeErrors.min() ?? testError, units: "fraction", description: "best test error over the ridges")
        doc.addScalar("\(s)/ridge_gain", testError - (ridgeErrors.min() ?? testError), units: "fraction",
                      description: "test error without ridge minus the best with ridge (positive: ridge helps)")
        doc.addScalar("\(s)/rkhs_norm_true", normTrue, units: "1", description: "√tr(αᵀKα), true labels")
        doc.addScalar("\(s)/rkhs_norm_random", normRandom, units: "1", description: "√tr(αᵀKα), random labels")
        doc.addScalar("\(s)/norm_ratio", normRandom / normTrue, units: "1", description: "RKHS norm, random / true labels")
        doc.addScalar("\(s)/solve_residual", max(residualTrue, residualRandom), units: "1", description: "largest ‖Kα − Y‖/‖Y‖")
        return doc
    }

    /// What recomputes the kernel point from its file and the public data: the rows of MNIST-5k
    /// it trained and tested on, which file and in which order, and the kernel's γ (with c and the
    /// median sample it came from). Every bandwidth factor's point has the same split and random
    /// labels (streams of the experiment seed); only γ differs.
    static func addKernelInstance(_ doc: inout HDF5Document, trainIndices: [Int], testIndices: [Int], kernel: RBFKernel,
                                  bandwidthFactor c: Double, config k: KernelConfig, context: RunContext) throws {
        let rows = "0-based rows of MNIST-5k (\(MNIST5k.relativePath) under the data directory, in the file's row order, pixels ÷ 255)"
        doc.addDataset("/instance/train_indices", .int64(trainIndices.map(Int64.init)), units: "index",
                       description: "\(rows) of the \(trainIndices.count) training images, in the order of the kernel matrix's rows, of α and of /instance/random_labels; the same for every bandwidth factor")
        doc.addDataset("/instance/test_indices", .int64(testIndices.map(Int64.init)), units: "index",
                       description: "\(rows) of the \(testIndices.count) test images (labels: the file's true labels), disjoint from train_indices; the same for every bandwidth factor")
        doc.addScalar("/instance/gamma", kernel.gamma, units: "1/pixel²",
                      description: "γ of k(x, x') = exp(−γ‖x − x'‖²), x = pixels ÷ 255 (the same value as /summary/gamma): 1/(c·median of ‖x_i − x_j‖² over the distinct pairs of the first median_sample training images)")
        doc.addScalar("/instance/bandwidth_factor", c, units: "1", description: "c of γ = 1/(c·median squared distance)")
        doc.addScalar("/instance/median_sample", Double(min(k.medianSample, trainIndices.count)), units: "images",
                      description: "the first this many training images (train_indices order) give the median squared distance")
        doc.setAttribute("data_set", .string("mnist-5k"), on: "/instance")
        doc.setAttribute("data_file", .string(MNIST5k.relativePath), on: "/instance")
        if let sha256 = try context.data.checksums()[MNIST5k.relativePath] {
            doc.setAttribute("data_sha256", .string(sha256), on: "/instance")
        }
    }

    // MARK: Summary

    static func summarize(_ points: [(PointSpec, HDF5Document)], config: MinimumNormConfig, into summary: inout HDF5Document) throws {
        guard !points.isEmpty else { return }
        let g = "/summary/least-squares"
        let gaussian = points.filter { $0.0.experiment == .gaussian }
        for (key, description) in [("gd_zero_distance", "GD from 0 to X⁺y"), ("gd_start_distance", "GD from w₀ to w₀ + X⁺(y − Xw₀)"),
                                   ("sgd_zero_distance", "SGD from 0 to X⁺y"), ("sgd_start_distance", "SGD from w₀ to w₀ + X⁺(y − Xw₀)")] {
            let values = try gaussian.map { try $0.1.required("/summary/\(key)", point: $0.0.name) }
            summary.addScalar("\(g)/\(key)", values.max() ?? .nan, units: "1", description: "relative distance, \(description), largest over seeds")
        }
        let away = try gaussian.map { try $0.1.required("/summary/gd_start_to_minimum_l2", point: $0.0.name) }
        summary.addScalar("\(g)/gd_start_to_minimum_l2", away.min() ?? .nan, units: "1",
                          description: "‖w_GD(w₀) − X⁺y‖/‖X⁺y‖, smallest over seeds (the start matters)")
        let kernels = points.filter { $0.0.experiment == .kernel }
        guard !kernels.isEmpty else { return }
        let k = "/summary/kernel"
        func values(_ key: String) throws -> [Double] { try kernels.map { try $0.1.required("/summary/\(key)", point: $0.0.name) } }
        summary.addScalar("\(k)/test_error_max", try values("test_error").max()!, units: "fraction", description: "largest test error of the interpolant over bandwidths")
        summary.addScalar("\(k)/test_error_min", try values("test_error").min()!, units: "fraction", description: "smallest test error of the interpolant over bandwidths")
        summary.addScalar("\(k)/train_accuracy_min", min(try values("train_accuracy").min()!, try values("random_train_accuracy").min()!),
                          units: "fraction", description: "lowest training accuracy of the interpolants (true and random labels)")
        summary.addScalar("\(k)/ridge_gain_max", try values("ridge_gain").max()!, units: "fraction", description: "largest test-error gain from a ridge over bandwidths")
        summary.addScalar("\(k)/norm_ratio_min", try values("norm_ratio").min()!, units: "1", description: "smallest RKHS norm ratio random/true over bandwidths")
        summary.addScalar("\(k)/random_test_error_min", try values("random_test_error").min()!, units: "fraction", description: "test error of the random-label interpolants (chance 0.9)")
    }
}

/// A numeric check that must pass before a result is used.
enum SolverCertificateErrorCheck {
    static func require(_ what: String, _ value: Double, _ bound: Double) throws {
        guard value <= bound else { throw SolverCertificateError(solver: "minimum-norm", check: what, value: value, bound: bound) }
    }
}
