import Foundation
import ImplicitRegCore
import ReadingSupport

extension NoiseScale {
    /// Binary features Φ = (pixels, 1) and targets of MNIST-5k rows.
    static func logisticProblem(_ data: Dataset<Double>, positiveFrom digit: Int) -> LogisticRegression {
        let p = data.featureCount + 1
        var phi = Matrix<Double>(rows: data.count, cols: p)
        for i in 0..<data.count {
            for j in 0..<data.featureCount { phi.storage[i * p + j] = data.inputs.storage[i * data.featureCount + j] }
            phi.storage[i * p + data.featureCount] = 1
        }
        return LogisticRegression(features: phi, targets: data.labels.map { Int($0) >= digit ? 1 : 0 })
    }

    /// Claims S1–S3: Newton fits of L2 logistic regression down the λ grid (warm-started), with
    /// accuracies, test cross-entropy and the Laplace evidence relative to the "predict ½" model.
    static func runEvidence(_ point: EvidencePoint, config: Config, context: RunContext) throws -> HDF5Document {
        let all = try context.cached("noise-scale/mnist-5k-double") { try MNIST5k.load(from: context.data, as: Double.self) }
        let streams = context.streams
        var subsetRNG = streams.stream(.subset)
        let (trainData, testData) = try all.split(first: point.trainSize, field: "evidence.train_sizes", using: &subsetRNG)
        var train = logisticProblem(trainData, positiveFrom: config.evidence.positiveFromDigit)
        let test = logisticProblem(testData, positiveFrom: config.evidence.positiveFromDigit)
        if point.labeling == .random {
            var labelRNG = streams.stream(.labels)
            train = LogisticRegression(features: train.features, targets: (0..<train.count).map { _ in labelRNG.nextUniform() < 0.5 ? 1 : 0 })
        }
        let n = train.count
        let nullEvidence = LaplaceEvidence.nullModelLogEvidence(examples: n, classes: 2)

        var lambdas: [Double] = [], trainAcc: [Double] = [], testAcc: [Double] = [], testCE: [Double] = [], trainCE: [Double] = []
        var logEvidence: [Double] = [], occam: [Double] = [], ratio: [Double] = [], gradNorm: [Double] = []
        var iterations: [Int32] = [], converged: [Int32] = [], weightNorm: [Double] = []
        var start: [Double]? = nil
        for lambda in config.evidence.lambdas {
            let fit = try train.fit(lambda: lambda, start: start, gradientTolerance: config.evidence.gradientTolerance,
                                    maxIterations: config.evidence.maxNewtonIterations)
            start = fit.weights
            let evidence = try LaplaceEvidence(cost: fit.cost, hessian: train.hessian(fit.weights, lambda: lambda), priorPrecision: lambda)
            lambdas.append(lambda)
            trainAcc.append(train.accuracy(fit.weights))
            testAcc.append(test.accuracy(fit.weights))
            trainCE.append(fit.crossEntropySum / Double(n))
            testCE.append(test.crossEntropySum(fit.weights) / Double(test.count))
            logEvidence.append(evidence.logEvidence)
            occam.append(evidence.logOccamFactor)
            ratio.append((evidence.logEvidence - nullEvidence) / Double(n))
            gradNorm.append(fit.gradientNorm)
            iterations.append(Int32(fit.iterations))
            converged.append(fit.converged ? 1 : 0)
            weightNorm.append(fit.weights.reduce(0) { $0 + $1 * $1 }.squareRoot())
        }

        var doc = HDF5Document()
        let g = "/curves"
        doc.addDataset("\(g)/lambda", .double(lambdas), units: "1",
                       description: "L2 coefficient λ of the summed cost C = Σᵢ CEᵢ + (λ/2)‖ω‖² (prior precision; a mean-loss coefficient is λ/N)")
        doc.addDataset("\(g)/train_accuracy", .double(trainAcc), units: "fraction", description: "training accuracy on the labels fitted")
        doc.addDataset("\(g)/test_accuracy", .double(testAcc), units: "fraction", description: "test accuracy (informative labels, the other MNIST-5k images)")
        doc.addDataset("\(g)/train_cross_entropy", .double(trainCE), units: "nats per example", description: "mean training cross-entropy H(ω₀)/N")
        doc.addDataset("\(g)/test_cross_entropy", .double(testCE), units: "nats per example", description: "mean test cross-entropy")
        doc.addDataset("\(g)/log_evidence", .double(logEvidence), units: "nats",
                       description: "Laplace log evidence ln P ≈ −C(ω₀) − ½(ln det ∇²C(ω₀) − p ln λ), summed over the N training examples")
        doc.addDataset("\(g)/log_occam_factor", .double(occam), units: "nats", description: "−½ Σᵢ ln(λᵢ/λ) over the Hessian's eigenvalues λᵢ")
        doc.addDataset("\(g)/evidence_ratio", .double(ratio), units: "nats per example",
                       description: "(ln P − ln P₀)/N with P₀ = 2^−N the evidence of the model that predicts ½ for every label")
        doc.addDataset("\(g)/gradient_norm", .double(gradNorm), units: "nats", description: "‖∇C(ω₀)‖_∞ at the end of Newton")
        doc.addDataset("\(g)/newton_iterations", .int32(iterations), units: "steps", description: "Newton steps from the warm start")
        doc.addDataset("\(g)/converged", .int32(converged), units: "1", description: "1 if ‖∇C‖_∞ < gradient_tolerance·max(1, λ)")
        doc.addDataset("\(g)/weight_norm", .double(weightNorm), units: "1", description: "‖ω₀‖₂ (bias included)")
        doc.addScalar("/summary/train_size", Double(n), units: "examples", description: "training examples N")
        doc.addScalar("/summary/test_size", Double(test.count), units: "examples", description: "test examples")
        doc.addScalar("/summary/parameter_count", Double(train.parameterCount), units: "parameters", description: "784 pixels + bias")
        doc.addScalar("/summary/positive_fraction", train.targets.reduce(0, +) / Double(n), units: "fraction",
                      description: "fraction of training labels equal to 1")
        return doc
    }
}
