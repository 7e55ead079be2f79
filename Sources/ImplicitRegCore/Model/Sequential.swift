/// A feed-forward stack of layers ending in a loss, with one flat parameter vector.
///
/// `parameters` and `gradient` are contiguous buffers of ``parameterCount`` scalars; each layer
/// owns the block ``parameterRanges``[i]. Norms, SGD, momentum, Hessian-vector products and
/// finite-difference checks are therefore one operation on one vector for every model.
/// All workspaces are sized for ``maxBatch`` examples and reused: passes never allocate.
public final class Sequential<Scalar: BLASScalar> {
    /// The layers, input to output.
    public let layers: [any Layer<Scalar>]
    /// The loss on the last layer's output.
    public let loss: any Loss<Scalar>
    /// The flat parameter vector θ.
    public let parameters: Buffer<Scalar>
    /// ∂L/∂θ from the last ``lossAndGradient(_:)`` call.
    public let gradient: Buffer<Scalar>
    /// Where each layer's block sits in θ.
    public let parameterRanges: [Range<Int>]
    /// Total number of parameters.
    public let parameterCount: Int
    /// Largest batch the workspaces hold; grows on demand.
    public private(set) var maxBatch = 0

    // activations[i] is the input of layer i; activations[layers.count] is the model output.
    private var activations: [Buffer<Scalar>] = []
    private var tangents: [Buffer<Scalar>] = []
    private let gradA = Buffer<Scalar>(), gradB = Buffer<Scalar>()
    private let tangentGradA = Buffer<Scalar>(), tangentGradB = Buffer<Scalar>()
    private let scratch = Buffer<Scalar>(), scratchGradient = Buffer<Scalar>()

    /// A model; the layer sizes must chain.
    public init(_ layers: [any Layer<Scalar>], loss: any Loss<Scalar>) {
        precondition(!layers.isEmpty, "a model needs at least one layer")
        for (a, b) in zip(layers, layers.dropFirst()) {
            precondition(a.outputSize == b.inputSize,
                         "layer sizes do not chain: \(a.summary) gives \(a.outputSize), \(b.summary) takes \(b.inputSize)")
        }
        self.layers = layers
        self.loss = loss
        var ranges: [Range<Int>] = []
        var offset = 0
        for layer in layers {
            ranges.append(offset..<(offset + layer.parameterCount))
            offset += layer.parameterCount
        }
        parameterRanges = ranges
        parameterCount = offset
        parameters = Buffer(capacity: offset)
        gradient = Buffer(capacity: offset)
        activations = (0...layers.count).map { _ in Buffer() }
        tangents = (0...layers.count).map { _ in Buffer() }
    }

    /// Features per input example.
    public var inputSize: Int { layers[0].inputSize }
    /// Values per output example.
    public var outputSize: Int { layers[layers.count - 1].outputSize }

    /// One line per layer and the parameter count.
    public var summary: String {
        layers.map(\.summary).joined(separator: " → ") + " (\(parameterCount) parameters, \(Scalar.typeName))"
    }

    /// Draws fresh parameters: each weight block by `initializer`, biases zero.
    public func initialize(_ initializer: Initializer, using rng: inout Xoshiro256StarStar) {
        for (layer, range) in zip(layers, parameterRanges) {
            for segment in layer.parameterSegments {
                initializer.fill(parameters.pointer + range.lowerBound, segment: segment, using: &rng)
            }
        }
    }

    /// 1 for every weight, 0 for every bias: the weight-decay mask.
    public func weightMask() -> [Scalar] {
        var mask = [Scalar](repeating: 0, count: parameterCount)
        for (layer, range) in zip(layers, parameterRanges) {
            for segment in layer.parameterSegments where segment.role == .weight {
                for i in segment.range { mask[range.lowerBound + i] = 1 }
            }
        }
        return mask
    }

    /// Sizes every workspace for batches of up to `batch` examples.
    public func reserve(batch: Int) {
        guard batch > maxBatch else { return }
        maxBatch = batch
        var widest = inputSize
        activations[0].reserve(batch * inputSize)
        tangents[0].reserve(batch * inputSize)
        for (i, layer) in layers.enumerated() {
            layer.reserve(batch: batch)
            activations[i + 1].reserve(batch * layer.outputSize)
            tangents[i + 1].reserve(batch * layer.outputSize)
            widest = max(widest, layer.outputSize)
        }
        for b in [gradA, gradB, tangentGradA, tangentGradB] { b.reserve(batch * widest) }
        scratch.reserve(parameterCount)
        scratchGradient.reserve(parameterCount)
        loss.reserve(batch: batch, outputs: outputSize)
    }

    /// The model input buffer for a batch: write `batch` rows of ``inputSize`` here, then call a pass
    /// with `inputs: nil` to avoid a copy.
    public func inputBuffer(batch: Int) -> UnsafeMutablePointer<Scalar> {
        reserve(batch: batch)
        return activations[0].pointer
    }

    /// The outputs of the last forward pass (batch × ``outputSize``).
    public var output: UnsafePointer<Scalar> { UnsafePointer(activations[layers.count].pointer) }

    private func loadInputs(_ inputs: UnsafePointer<Scalar>?, batch: Int) {
        reserve(batch: batch)
        if let inputs { Scalar.copy(inputs, activations[0].pointer, batch * inputSize) }
    }

    /// Forward pass with parameters `θ` (default: ``parameters``); returns the output pointer.
    @discardableResult
    public func forward(_ inputs: UnsafePointer<Scalar>?, batch: Int,
                        parameters θ: UnsafePointer<Scalar>? = nil) -> UnsafePointer<Scalar> {
        loadInputs(inputs, batch: batch)
        let p = θ ?? UnsafePointer(parameters.pointer)
        for i in 0..<layers.count {
            layers[i].forward(input: activations[i].pointer, output: activations[i + 1].pointer,
                              batch: batch, parameters: p + parameterRanges[i].lowerBound)
        }
        return output
    }

    /// Σ loss and correct count over a batch, without gradients.
    public func evaluate(_ inputs: UnsafePointer<Scalar>?, targets: TargetBatch<Scalar>, batch: Int,
                         parameters θ: UnsafePointer<Scalar>? = nil) -> (lossSum: Double, correct: Int) {
        let z = forward(inputs, batch: batch, parameters: θ)
        return loss.evaluate(output: z, targets: targets, batch: batch, outputs: outputSize, gradient: nil, gradScale: 0)
    }

    /// Forward and backward on one batch: the mean loss over the batch, the correct count, and
    /// ∂(mean loss)/∂θ·`gradientWeight` written to `into` (default ``gradient``).
    @discardableResult
    public func lossAndGradient(_ inputs: UnsafePointer<Scalar>?, targets: TargetBatch<Scalar>, batch: Int,
                                parameters θ: UnsafePointer<Scalar>? = nil,
                                into g: UnsafeMutablePointer<Scalar>? = nil,
                                gradientWeight: Scalar = 1) -> (loss: Double, correct: Int) {
        gradientPass(inputs, targets: targets, batch: batch, parameters: θ ?? UnsafePointer(parameters.pointer),
                     into: g ?? gradient.pointer, beta: nil, gradientWeight: gradientWeight)
    }

    /// Forward and backward on one batch with the gradient folded into `target` as each layer's
    /// weight-gradient GEMM forms it: `target ← β·target + gradientWeight·∂(mean loss)/∂θ`, with no
    /// gradient buffer and no extra pass. With `target` = ``parameters``, β = 1 and gradientWeight
    /// = −ε this is a whole plain SGD step (each layer's ∂L/∂x is formed before its θ changes);
    /// with `target` a velocity and β = μ it is the v ← μv + ∇L half of a heavy-ball step.
    /// Layers that cannot accumulate go through a scratch gradient. Returns the mean loss and the
    /// correct count of the batch (before the update).
    @discardableResult
    public func accumulateGradient(_ inputs: UnsafePointer<Scalar>?, targets: TargetBatch<Scalar>, batch: Int,
                                   into target: UnsafeMutablePointer<Scalar>, beta: Scalar,
                                   gradientWeight: Scalar) -> (loss: Double, correct: Int) {
        gradientPass(inputs, targets: targets, batch: batch, parameters: UnsafePointer(parameters.pointer),
                     into: target, beta: beta, gradientWeight: gradientWeight)
    }

    /// The forward pass, the loss and the backward pass; each layer's gradient overwrites its block
    /// of `target` (β nil) or is accumulated into it, `target ← β·target + ∇` (see
    /// ``accumulateGradient(_:targets:batch:into:beta:gradientWeight:)``).
    private func gradientPass(_ inputs: UnsafePointer<Scalar>?, targets: TargetBatch<Scalar>, batch: Int,
                              parameters p: UnsafePointer<Scalar>, into target: UnsafeMutablePointer<Scalar>,
                              beta: Scalar?, gradientWeight: Scalar) -> (loss: Double, correct: Int) {
        let z = forward(inputs, batch: batch, parameters: p)
        let (lossSum, correct) = loss.evaluate(output: z, targets: targets, batch: batch, outputs: outputSize,
                                               gradient: gradA.pointer, gradScale: gradientWeight / Scalar(batch))
        var gy = gradA, gx = gradB
        for i in stride(from: layers.count - 1, through: 0, by: -1) {
            let range = parameterRanges[i]
            let x = activations[i].pointer, y = activations[i + 1].pointer
            let gInput = i > 0 ? gx.pointer : nil
            let gθ = target + range.lowerBound
            if let beta, !range.isEmpty {
                if !layers[i].backward(input: x, output: y, gradOutput: gy.pointer, gradInput: gInput, batch: batch,
                                       parameters: p + range.lowerBound, accumulatingInto: gθ, beta: beta) {
                    let g = scratchGradient.pointer + range.lowerBound
                    layers[i].backward(input: x, output: y, gradOutput: gy.pointer, gradInput: gInput, batch: batch,
                                       parameters: p + range.lowerBound, gradParameters: g)
                    Scalar.scaleAdd(g, into: gθ, beta: beta, range.count)
                }
            } else {
                layers[i].backward(input: x, output: y, gradOutput: gy.pointer, gradInput: gInput, batch: batch,
                                   parameters: p + range.lowerBound, gradParameters: gθ)
            }
            swap(&gy, &gx)
        }
        return (lossSum / Double(batch), correct)
    }

    /// Exact Hessian-vector product on one batch by the R-operator (forward-over-reverse through the
    /// same layers): writes H·v of the batch-mean loss (times `weight`) at θ (default ``parameters``)
    /// to `hv`, and the gradient to `gradientInto` (default ``gradient``). Returns the mean loss.
    @discardableResult
    public func hessianVectorProduct(_ v: UnsafePointer<Scalar>, into hv: UnsafeMutablePointer<Scalar>,
                                     inputs: UnsafePointer<Scalar>?, targets: TargetBatch<Scalar>, batch: Int,
                                     gradientInto g: UnsafeMutablePointer<Scalar>? = nil,
                                     weight: Scalar = 1, parameters θ: UnsafePointer<Scalar>? = nil) -> Double {
        let p = θ ?? UnsafePointer(parameters.pointer)
        let gθ = g ?? gradient.pointer
        let z = forward(inputs, batch: batch, parameters: p)
        // R{x₀} = 0: the inputs do not depend on θ (the first layer's zero-input-tangent passes
        // may skip their R{x} products; the zeros are there for layers that do not).
        Scalar.fill(tangents[0].pointer, 0, batch * inputSize)
        for i in 0..<layers.count {
            let offset = parameterRanges[i].lowerBound
            if i == 0 {
                layers[0].forwardTangent(input: activations[0].pointer, zeroInputTangent: tangents[0].pointer,
                                         output: activations[1].pointer, outputTangent: tangents[1].pointer,
                                         batch: batch, parameters: p + offset, direction: v + offset)
            } else {
                layers[i].forwardTangent(input: activations[i].pointer, inputTangent: tangents[i].pointer,
                                         output: activations[i + 1].pointer, outputTangent: tangents[i + 1].pointer,
                                         batch: batch, parameters: p + offset, direction: v + offset)
            }
        }
        let scale = weight / Scalar(batch)
        let (lossSum, _) = loss.evaluate(output: z, targets: targets, batch: batch, outputs: outputSize,
                                         gradient: gradA.pointer, gradScale: scale)
        loss.gradientTangent(output: z, outputTangent: tangents[layers.count].pointer, targets: targets,
                             batch: batch, outputs: outputSize, gradScale: scale, into: tangentGradA.pointer)
        var gy = gradA, gx = gradB, rgy = tangentGradA, rgx = tangentGradB
        for i in stride(from: layers.count - 1, through: 0, by: -1) {
            let offset = parameterRanges[i].lowerBound
            if i == 0 {
                layers[0].backwardTangent(
                    input: activations[0].pointer, zeroInputTangent: tangents[0].pointer,
                    output: activations[1].pointer, outputTangent: tangents[1].pointer,
                    gradOutput: gy.pointer, gradOutputTangent: rgy.pointer, gradInput: nil, gradInputTangent: nil,
                    batch: batch, parameters: p + offset, direction: v + offset,
                    gradParameters: gθ + offset, gradParametersTangent: hv + offset)
            } else {
                layers[i].backwardTangent(
                    input: activations[i].pointer, inputTangent: tangents[i].pointer,
                    output: activations[i + 1].pointer, outputTangent: tangents[i + 1].pointer,
                    gradOutput: gy.pointer, gradOutputTangent: rgy.pointer,
                    gradInput: gx.pointer, gradInputTangent: rgx.pointer,
                    batch: batch, parameters: p + offset, direction: v + offset,
                    gradParameters: gθ + offset, gradParametersTangent: hv + offset)
            }
            swap(&gy, &gx)
            swap(&rgy, &rgx)
        }
        return lossSum / Double(batch)
    }

    /// Central finite-difference Hessian-vector product, (∇L(θ + hv) − ∇L(θ − hv)) / 2h, on one
    /// batch: the reference the exact product is checked against. Leaves ``parameters`` and
    /// ``gradient`` unchanged.
    public func finiteDifferenceHessianVectorProduct(
        _ v: UnsafePointer<Scalar>, into hv: UnsafeMutablePointer<Scalar>, step h: Scalar,
        inputs: UnsafePointer<Scalar>?, targets: TargetBatch<Scalar>, batch: Int
    ) {
        let n = parameterCount
        loadInputs(inputs, batch: batch)
        let shifted = scratch.pointer
        Scalar.copy(parameters.pointer, shifted, n)
        Scalar.axpy(n, h, v, shifted)
        lossAndGradient(nil, targets: targets, batch: batch, parameters: shifted, into: hv)
        Scalar.copy(parameters.pointer, shifted, n)
        Scalar.axpy(n, -h, v, shifted)
        lossAndGradient(nil, targets: targets, batch: batch, parameters: shifted, into: scratchGradient.pointer)
        Scalar.axpy(n, -1, scratchGradient.pointer, hv)
        Scalar.scal(n, 1 / (2 * h), hv)
    }
}
