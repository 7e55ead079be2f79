import ImplicitRegCore
import Testing

// Gradient checks of every layer and loss against central finite differences (in Double), the
// convolution and pooling forward passes against their definitions, and two end-to-end training
// runs (an MLP and the small CNN, in Float) on a separable toy image set.
//
// ReLU and max pooling are not differentiable at their kinks (a zero pre-activation, a tie inside a
// pooling window). All inputs and parameters here are drawn from continuous distributions, so a
// kink lies within the finite-difference step (1e-6, or 1e-5 for Hessian products) of the sampled
// point with probability of order 1e-5: the checks are deterministic (fixed seeds) and far from ties.

// MARK: - Shared helpers (also used by HessianVectorProductTests.swift)

/// An identity layer that records the gradient flowing into it and, in the R-pass, its tangent.
/// Placed first in a model it exposes ∂L/∂x and R{∂L/∂x} of the layer after it, which
/// ``Sequential`` computes but does not return (it passes no `gradInput` to layer 0).
final class InputGradientProbe: Layer {
    typealias Scalar = Double
    let inputSize: Int
    var outputSize: Int { inputSize }
    var parameterSegments: [ParameterSegment] { [] }
    var summary: String { "probe" }
    /// ∂L/∂x of the last backward pass (batch × inputSize).
    private(set) var gradient: [Double] = []
    /// R{∂L/∂x} of the last R-pass.
    private(set) var gradientTangent: [Double] = []

    init(_ size: Int) { inputSize = size }

    func forward(input x: UnsafePointer<Double>, output y: UnsafeMutablePointer<Double>,
                 batch: Int, parameters θ: UnsafePointer<Double>) {
        Double.copy(x, y, batch * inputSize)
    }

    func backward(input x: UnsafePointer<Double>, output y: UnsafePointer<Double>,
                  gradOutput gy: UnsafePointer<Double>, gradInput gx: UnsafeMutablePointer<Double>?,
                  batch: Int, parameters θ: UnsafePointer<Double>, gradParameters gθ: UnsafeMutablePointer<Double>) {
        gradient = Array(UnsafeBufferPointer(start: gy, count: batch * inputSize))
        if let gx { Double.copy(gy, gx, batch * inputSize) }
    }

    func forwardTangent(input x: UnsafePointer<Double>, inputTangent rx: UnsafePointer<Double>,
                        output y: UnsafePointer<Double>, outputTangent ry: UnsafeMutablePointer<Double>,
                        batch: Int, parameters θ: UnsafePointer<Double>, direction v: UnsafePointer<Double>) {
        Double.copy(rx, ry, batch * inputSize)
    }

    func backwardTangent(input x: UnsafePointer<Double>, inputTangent rx: UnsafePointer<Double>,
                         output y: UnsafePointer<Double>, outputTangent ry: UnsafePointer<Double>,
                         gradOutput gy: UnsafePointer<Double>, gradOutputTangent rgy: UnsafePointer<Double>,
                         gradInput gx: UnsafeMutablePointer<Double>?, gradInputTangent rgx: UnsafeMutablePointer<Double>?,
                         batch: Int, parameters θ: UnsafePointer<Double>, direction v: UnsafePointer<Double>,
                         gradParameters gθ: UnsafeMutablePointer<Double>, gradParametersTangent rgθ: UnsafeMutablePointer<Double>) {
        backward(input: x, output: y, gradOutput: gy, gradInput: gx, batch: batch, parameters: θ, gradParameters: gθ)
        gradientTangent = Array(UnsafeBufferPointer(start: rgy, count: batch * inputSize))
        if let rgx { Double.copy(rgy, rgx, batch * inputSize) }
    }
}

/// The layer under test in the per-layer checks; each is followed by a dense head to 3 outputs
/// (or goes straight into the loss) so that every case has parameters and a scalar loss.
enum LayerCase: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case denseWithBias, denseWithoutBias, relu, tanh, identity
    case convPad0, convPad1, convKernel2Pad1NoBias, maxPool2, maxPool3

    var testDescription: String { rawValue }

    /// The layers (input to output) and their input size; the output has 3 values.
    func layers() -> [any Layer<Double>] {
        switch self {
        case .denseWithBias: [Dense(5, 3)]
        case .denseWithoutBias: [Dense(5, 3, bias: false)]
        case .relu: [ReLU(6), Dense(6, 3)]
        case .tanh: [Tanh(6), Dense(6, 3)]
        case .identity: [Identity(6), Dense(6, 3)]
        case .convPad0:
            // 2×5×6 → 3×3×4 (non-square, C > 1, valid convolution).
            [Conv2D(inputChannels: 2, height: 5, width: 6, outputChannels: 3, kernel: 3, padding: 0), Dense(36, 3)]
        case .convPad1:
            // 2×4×5 → 3×4×5 ("same").
            [Conv2D(inputChannels: 2, height: 4, width: 5, outputChannels: 3, kernel: 3, padding: 1), Dense(60, 3)]
        case .convKernel2Pad1NoBias:
            // 3×3×4 → 2×4×5 (output larger than the input; every border position padded).
            [Conv2D(inputChannels: 3, height: 3, width: 4, outputChannels: 2, kernel: 2, padding: 1, bias: false),
             Dense(40, 3)]
        case .maxPool2: [MaxPool2D(channels: 2, height: 4, width: 6, pool: 2), Dense(12, 3)]
        case .maxPool3: [MaxPool2D(channels: 2, height: 6, width: 3, pool: 3), Dense(4, 3)]
        }
    }
}

/// The two losses.
enum LossCase: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case crossEntropy, squaredError
    var testDescription: String { rawValue }
    func make() -> any Loss<Double> {
        switch self {
        case .crossEntropy: SoftmaxCrossEntropy<Double>()
        case .squaredError: MeanSquaredError<Double>()
        }
    }
}

/// A model with a probe in front, random parameters, a random batch and targets for its loss.
struct CheckProblem {
    let model: Sequential<Double>
    let probe: InputGradientProbe
    let batch: Int
    var inputs: [Double]
    let labels: [Int32]
    let targets: [Double]

    /// Draws everything from `RandomStreams(seed:).stream("test")`: inputs N(0, 1); weights
    /// N(0, 1/fan-in); biases N(0, 0.1²) (non-zero, so the bias paths matter); labels uniform;
    /// regression targets N(0, 1).
    init(layers: [any Layer<Double>], loss: any Loss<Double>, batch: Int, seed: UInt64 = 1) {
        var rng = RandomStreams(seed: seed).stream("test")
        probe = InputGradientProbe(layers[0].inputSize)
        model = Sequential([probe as any Layer<Double>] + layers, loss: loss)
        self.batch = batch
        let outputs = model.outputSize
        inputs = (0..<(batch * model.inputSize)).map { _ in rng.nextNormal() }
        labels = (0..<batch).map { _ in Int32(rng.nextInt(below: outputs)) }
        targets = (0..<(batch * outputs)).map { _ in rng.nextNormal() }
        Self.randomize(model, using: &rng)
    }

    /// Fills θ: weights N(0, 1/fan-in), biases N(0, 0.1²).
    static func randomize(_ model: Sequential<Double>, using rng: inout Xoshiro256StarStar) {
        for (layer, range) in zip(model.layers, model.parameterRanges) {
            for segment in layer.parameterSegments {
                let sd = segment.role == .weight ? (1 / Double(segment.fanIn)).squareRoot() : 0.1
                for i in segment.range { model.parameters.pointer[range.lowerBound + i] = sd * rng.nextNormal() }
            }
        }
    }

    var parameterCount: Int { model.parameterCount }
    var parameters: [Double] { model.parameters.array(count: parameterCount) }

    func withTargets<R>(_ body: (TargetBatch<Double>) -> R) -> R {
        labels.withUnsafeBufferPointer { l in
            targets.withUnsafeBufferPointer { t in body(TargetBatch(labels: l.baseAddress, values: t.baseAddress)) }
        }
    }

    /// The batch-mean loss L(θ, x), forward only.
    func loss(parameters θ: [Double]? = nil, inputs x: [Double]? = nil) -> Double {
        let θ = θ ?? parameters
        return withTargets { t in
            θ.withUnsafeBufferPointer { p in
                (x ?? inputs).withUnsafeBufferPointer { xs in
                    model.evaluate(xs.baseAddress, targets: t, batch: batch, parameters: p.baseAddress).lossSum
                }
            }
        } / Double(batch)
    }

    /// (∂L/∂θ, ∂L/∂x) at θ (default: the model's parameters) by the backward pass.
    func gradients(parameters θ: [Double]? = nil) -> (parameters: [Double], inputs: [Double]) {
        let θ = θ ?? parameters
        var g = [Double](repeating: 0, count: parameterCount)
        withTargets { t in
            θ.withUnsafeBufferPointer { p in
                inputs.withUnsafeBufferPointer { xs in
                    g.withUnsafeMutableBufferPointer { gp in
                        _ = model.lossAndGradient(xs.baseAddress, targets: t, batch: batch, parameters: p.baseAddress,
                                                  into: gp.baseAddress)
                    }
                }
            }
        }
        return (g, probe.gradient)
    }
}

/// Finite-difference helpers shared by the gradient and Hessian checks.
enum FiniteDifference {
    /// Central differences (f(z + h·eᵢ) − f(z − h·eᵢ)) / 2h of a scalar function, for every i.
    static func central(at z: [Double], step h: Double, _ f: ([Double]) -> Double) -> [Double] {
        var shifted = z
        return z.indices.map { i in
            shifted[i] = z[i] + h
            let plus = f(shifted)
            shifted[i] = z[i] - h
            let minus = f(shifted)
            shifted[i] = z[i]
            return (plus - minus) / (2 * h)
        }
    }

    /// ‖a − b‖ / max(‖a‖, ‖b‖, 1e-12).
    static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "length mismatch: \(a.count) vs \(b.count)")
        let diff = zip(a, b).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        return diff / max(norm(a), norm(b), 1e-12)
    }

    /// ‖a‖₂.
    static func norm(_ a: [Double]) -> Double { a.reduce(0.0) { $0 + $1 * $1 }.squareRoot() }
}

// MARK: - Gradient checks

@Suite("Gradient checks")
struct GradientCheckTests {
    static let step = 1e-6
    static let tolerance = 1e-6

    /// ∂L/∂θ and ∂L/∂x of [probe, layer, (dense head)] + loss against central differences.
    @Test(arguments: LayerCase.allCases, LossCase.allCases)
    func layerGradientsMatchFiniteDifferences(layer: LayerCase, loss: LossCase) {
        let problem = CheckProblem(layers: layer.layers(), loss: loss.make(), batch: 3)
        let (g, gx) = problem.gradients()

        let gFD = FiniteDifference.central(at: problem.parameters, step: Self.step) { problem.loss(parameters: $0) }
        let gxFD = FiniteDifference.central(at: problem.inputs, step: Self.step) { problem.loss(inputs: $0) }

        #expect(FiniteDifference.norm(g) > 1e-3, "vacuous check: zero parameter gradient")
        #expect(FiniteDifference.norm(gx) > 1e-3, "vacuous check: zero input gradient")
        #expect(FiniteDifference.relativeError(g, gFD) < Self.tolerance)
        #expect(FiniteDifference.relativeError(gx, gxFD) < Self.tolerance)
    }

    /// The batch is handled row by row: the gradient of a batch is the mean of per-example gradients.
    @Test(arguments: [LayerCase.convPad1, .maxPool2])
    func batchGradientIsMeanOfExampleGradients(layer: LayerCase) {
        let batch = 3
        let whole = CheckProblem(layers: layer.layers(), loss: LossCase.crossEntropy.make(), batch: batch)
        let (g, _) = whole.gradients()
        var mean = [Double](repeating: 0, count: g.count)
        let d = whole.model.inputSize, k = whole.model.outputSize
        for e in 0..<batch {
            let one = CheckProblemSlice(whole, example: e, inputSize: d, outputs: k)
            for (i, value) in one.gradient().enumerated() { mean[i] += value / Double(batch) }
        }
        #expect(FiniteDifference.relativeError(g, mean) < 1e-12)
    }
}

/// One example of a ``CheckProblem`` run through the same model and parameters.
private struct CheckProblemSlice {
    let problem: CheckProblem
    let inputs: [Double]
    let labels: [Int32]
    let targets: [Double]

    init(_ problem: CheckProblem, example e: Int, inputSize d: Int, outputs k: Int) {
        self.problem = problem
        inputs = Array(problem.inputs[(e * d)..<((e + 1) * d)])
        labels = [problem.labels[e]]
        targets = Array(problem.targets[(e * k)..<((e + 1) * k)])
    }

    func gradient() -> [Double] {
        var g = [Double](repeating: 0, count: problem.parameterCount)
        labels.withUnsafeBufferPointer { l in
            targets.withUnsafeBufferPointer { t in
                inputs.withUnsafeBufferPointer { x in
                    g.withUnsafeMutableBufferPointer { gp in
                        _ = problem.model.lossAndGradient(
                            x.baseAddress, targets: TargetBatch(labels: l.baseAddress, values: t.baseAddress),
                            batch: 1, into: gp.baseAddress)
                    }
                }
            }
        }
        return g
    }
}

// MARK: - Forward passes against their definitions

@Suite("Convolution and pooling forward")
struct ConvolutionForwardTests {
    /// y[o, u, w] = b[o] + Σ_{c,i,j} W[o, c, i, j]·x[c, u + i − p, w + j − p], evaluated naively.
    @Test(arguments: [(3, 0), (3, 1), (2, 1), (3, 2), (1, 0)])
    func convolutionMatchesDefinition(kernel: Int, padding: Int) {
        let (c, h, w, cout, batch) = (2, 5, 4, 3, 2)
        let conv = Conv2D<Double>(inputChannels: c, height: h, width: w, outputChannels: cout,
                                  kernel: kernel, padding: padding)
        var rng = RandomStreams(seed: 2).stream("test")
        let x = (0..<(batch * conv.inputSize)).map { _ in rng.nextNormal() }
        let θ = (0..<conv.parameterCount).map { _ in rng.nextNormal() }
        var y = [Double](repeating: .nan, count: batch * conv.outputSize)
        conv.reserve(batch: batch)
        conv.forward(input: x, output: &y, batch: batch, parameters: θ)

        let (ho, wo) = (h + 2 * padding - kernel + 1, w + 2 * padding - kernel + 1)
        #expect(conv.outputHeight == ho && conv.outputWidth == wo)
        var expected = [Double](repeating: 0, count: y.count)
        let biasOffset = cout * c * kernel * kernel
        for e in 0..<batch {
            for o in 0..<cout {
                for u in 0..<ho {
                    for v in 0..<wo {
                        var s = θ[biasOffset + o]
                        for ci in 0..<c {
                            for i in 0..<kernel {
                                for j in 0..<kernel {
                                    let (r, q) = (u + i - padding, v + j - padding)
                                    guard r >= 0 && r < h && q >= 0 && q < w else { continue }
                                    s += θ[((o * c + ci) * kernel + i) * kernel + j] * x[e * c * h * w + (ci * h + r) * w + q]
                                }
                            }
                        }
                        expected[e * cout * ho * wo + (o * ho + u) * wo + v] = s
                    }
                }
            }
        }
        #expect(FiniteDifference.relativeError(y, expected) < 1e-14)
    }

    /// Window maxima, and the backward pass routes each gradient to its window's maximum.
    @Test func maxPoolMatchesDefinition() {
        let (c, h, w, p, batch) = (3, 4, 6, 2, 2)
        let pool = MaxPool2D<Double>(channels: c, height: h, width: w, pool: p)
        var rng = RandomStreams(seed: 3).stream("test")
        let x = (0..<(batch * pool.inputSize)).map { _ in rng.nextNormal() }
        var y = [Double](repeating: .nan, count: batch * pool.outputSize)
        pool.reserve(batch: batch)
        pool.forward(input: x, output: &y, batch: batch, parameters: [])
        let gy = (0..<y.count).map { _ in rng.nextNormal() }
        var gx = [Double](repeating: .nan, count: x.count)
        var unused = [Double]()
        pool.backward(input: x, output: y, gradOutput: gy, gradInput: &gx, batch: batch, parameters: [],
                      gradParameters: &unused)

        var expectedY = [Double](repeating: 0, count: y.count)
        var expectedGx = [Double](repeating: 0, count: x.count)
        for plane in 0..<(batch * c) {
            for u in 0..<(h / p) {
                for v in 0..<(w / p) {
                    var best = plane * h * w + (u * p) * w + v * p
                    for i in 0..<p { for j in 0..<p {
                        let k = plane * h * w + (u * p + i) * w + v * p + j
                        if x[k] > x[best] { best = k }
                    } }
                    let o = plane * (h / p) * (w / p) + u * (w / p) + v
                    expectedY[o] = x[best]
                    expectedGx[best] = gy[o]
                }
            }
        }
        #expect(y == expectedY)
        #expect(gx == expectedGx)
    }

    /// The builders produce chaining layer lists with the expected sizes.
    @Test func architecturesHaveExpectedShapes() {
        let cnn: [any Layer<Float>] = Architectures.smallCNN(channels: 1, height: 28, width: 28, classes: 10)
        let model = Sequential(cnn, loss: SoftmaxCrossEntropy())
        #expect(model.inputSize == 784 && model.outputSize == 10)
        // conv 16·9 + 16, conv 32·144 + 32, dense 1568·128 + 128, dense 128·10 + 10
        #expect(model.parameterCount == 160 + 4640 + 200_832 + 1290)
        let mlp: [any Layer<Double>] = Architectures.mlp(input: 784, hidden: [512, 512], output: 10, activation: .tanh)
        #expect(mlp.map(\.summary) == ["dense 784→512", "tanh", "dense 512→512", "tanh", "dense 512→10"])
        let linear: [any Layer<Double>] = Architectures.deepLinear(dimension: 7, depth: 4)
        #expect(linear.count == 4 && linear.allSatisfy { $0.parameterCount == 49 })
        for activation in Activation.allCases {
            #expect(activation.layer(5, as: Double.self).outputSize == 5)
        }
    }
}

// MARK: - Training to 100% on a separable toy set

/// 8×8 grey images of three classes: a bright horizontal bar (length 5, random horizontal offset)
/// in rows 0–1 (class 0), 3–4 (class 1) or 6–7 (class 2), on N(0, 0.3²) background noise.
struct BarImages {
    let count: Int
    let inputs: [Float]
    let labels: [Int32]
    static let side = 8, classes = 3

    init(count: Int, seed: UInt64) {
        var rng = RandomStreams(seed: seed).stream("test-bars")
        var x = [Float](repeating: 0, count: count * Self.side * Self.side)
        var y = [Int32]()
        for e in 0..<count {
            let label = e % Self.classes
            let row = 3 * label + rng.nextInt(below: 2)
            let start = rng.nextInt(below: Self.side - 4)
            for p in 0..<(Self.side * Self.side) { x[e * 64 + p] = Float(0.3 * rng.nextNormal()) }
            for col in start..<(start + 5) { x[e * 64 + row * Self.side + col] += 1 }
            y.append(Int32(label))
        }
        self.count = count
        inputs = x
        labels = y
    }
}

/// Plain minibatch SGD with heavy-ball momentum on the flat parameter vector, reshuffled every
/// epoch from the "shuffle" stream; returns the final training accuracy and the parameters.
func trainWithSGD(_ layers: [any Layer<Float>], on data: BarImages, epochs: Int, batch: Int,
                  learningRate: Float, momentum: Float, seed: UInt64) -> (accuracy: Double, parameters: [Float]) {
    let streams = RandomStreams(seed: seed)
    let model = Sequential(layers, loss: SoftmaxCrossEntropy<Float>())
    var initRNG = streams.stream(.initialization)
    model.initialize(Initializer(.he), using: &initRNG)
    var shuffle = streams.stream(.shuffle)
    let velocity = Buffer<Float>(capacity: model.parameterCount)
    let d = model.inputSize
    var batchLabels = [Int32](repeating: 0, count: batch)
    model.reserve(batch: data.count)
    for _ in 0..<epochs {
        let order = shuffle.permutation(data.count)
        for start in stride(from: 0, to: data.count - batch + 1, by: batch) {
            let x = model.inputBuffer(batch: batch)
            for (k, e) in order[start..<(start + batch)].enumerated() {
                for j in 0..<d { x[k * d + j] = data.inputs[e * d + j] }
                batchLabels[k] = data.labels[e]
            }
            batchLabels.withUnsafeBufferPointer { l in
                _ = model.lossAndGradient(nil, targets: TargetBatch(labels: l.baseAddress, values: nil), batch: batch)
            }
            Float.momentumStep(parameters: model.parameters.pointer, gradient: model.gradient.pointer,
                               velocity: velocity.pointer, count: model.parameterCount,
                               learningRate: learningRate, momentum: momentum, nesterov: false,
                               weightDecay: 0, decayMask: nil)
        }
    }
    let correct = data.labels.withUnsafeBufferPointer { l in
        model.evaluate(data.inputs, targets: TargetBatch(labels: l.baseAddress, values: nil), batch: data.count).correct
    }
    return (Double(correct) / Double(data.count), model.parameters.array(count: model.parameterCount))
}

@Suite("Layers train")
struct LayerTrainingTests {
    let data = BarImages(count: 60, seed: 21)

    @Test func mlpFitsBarImages() {
        let make: () -> [any Layer<Float>] = { Architectures.mlp(input: 64, hidden: [32], output: 3) }
        let run = trainWithSGD(make(), on: data, epochs: 30, batch: 10, learningRate: 0.05, momentum: 0.9, seed: 4)
        #expect(run.accuracy == 1)
        let again = trainWithSGD(make(), on: data, epochs: 30, batch: 10, learningRate: 0.05, momentum: 0.9, seed: 4)
        #expect(again.parameters == run.parameters, "training is not deterministic")
    }

    @Test func smallCNNFitsBarImages() {
        let make: () -> [any Layer<Float>] = {
            Architectures.smallCNN(channels: 1, height: 8, width: 8, classes: 3, filters: (4, 8), hidden: 16)
        }
        let run = trainWithSGD(make(), on: data, epochs: 30, batch: 10, learningRate: 0.05, momentum: 0.9, seed: 4)
        #expect(run.accuracy == 1)
        let again = trainWithSGD(make(), on: data, epochs: 30, batch: 10, learningRate: 0.05, momentum: 0.9, seed: 4)
        #expect(again.parameters == run.parameters, "training is not deterministic")
    }
}
