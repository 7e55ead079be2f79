/// Inverted dropout (Srivastava et al. 2014): in training mode each feature of each example is
/// kept with probability q = 1 − `rate` and scaled by 1/q, otherwise zeroed; in evaluation mode
/// (the default) the layer is the identity, so no rescaling is needed at test time.
///
/// The mask is drawn afresh in every training-mode forward pass from the layer's own random
/// stream (one uniform per value, row-major, see ``BLASScalar/dropoutMask(_:_:keepProbability:using:)``)
/// and kept for the backward and tangent passes of the same batch: given the mask the layer is
/// the linear map y = m ⊙ x, so ∂L/∂x = m ⊙ ∂L/∂y and R{y} = m ⊙ R{x}.
public final class Dropout<Scalar: BLASScalar>: Layer, TrainingModeLayer {
    public let inputSize: Int
    public var outputSize: Int { inputSize }
    public var parameterSegments: [ParameterSegment] { [] }
    public var summary: String { "dropout \(rate)" }
    /// Probability that a value is zeroed in training mode.
    public let rate: Double
    /// True during optimizer steps (a fresh mask per forward pass), false for evaluation.
    public var isTraining = false
    private var rng: Xoshiro256StarStar
    private let mask = Buffer<Scalar>()

    /// Dropout over `size` features with drop probability `rate` ∈ [0, 1), masks drawn from `rng`
    /// (pass a named stream, e.g. `streams.stream("dropout/1")`).
    public init(_ size: Int, rate: Double, rng: Xoshiro256StarStar) {
        precondition(rate >= 0 && rate < 1, "a dropout rate must be in [0, 1), not \(rate)")
        inputSize = size
        self.rate = rate
        self.rng = rng
    }

    public func reserve(batch: Int) { mask.reserve(batch * inputSize) }

    public func forward(input x: UnsafePointer<Scalar>, output y: UnsafeMutablePointer<Scalar>,
                        batch: Int, parameters θ: UnsafePointer<Scalar>) {
        let n = batch * inputSize
        guard isTraining else { return Scalar.copy(x, y, n) }
        mask.reserve(n)
        Scalar.dropoutMask(mask.pointer, n, keepProbability: 1 - rate, using: &rng)
        Scalar.multiply(x, mask.pointer, y, n)
    }

    public func backward(input x: UnsafePointer<Scalar>, output y: UnsafePointer<Scalar>,
                         gradOutput gy: UnsafePointer<Scalar>, gradInput gx: UnsafeMutablePointer<Scalar>?,
                         batch: Int, parameters θ: UnsafePointer<Scalar>,
                         gradParameters gθ: UnsafeMutablePointer<Scalar>) {
        guard let gx else { return }
        apply(gy, gx, batch * inputSize)
    }

    public func forwardTangent(input x: UnsafePointer<Scalar>, inputTangent rx: UnsafePointer<Scalar>,
                               output y: UnsafePointer<Scalar>, outputTangent ry: UnsafeMutablePointer<Scalar>,
                               batch: Int, parameters θ: UnsafePointer<Scalar>, direction v: UnsafePointer<Scalar>) {
        apply(rx, ry, batch * inputSize)
    }

    public func backwardTangent(input x: UnsafePointer<Scalar>, inputTangent rx: UnsafePointer<Scalar>,
                                output y: UnsafePointer<Scalar>, outputTangent ry: UnsafePointer<Scalar>,
                                gradOutput gy: UnsafePointer<Scalar>, gradOutputTangent rgy: UnsafePointer<Scalar>,
                                gradInput gx: UnsafeMutablePointer<Scalar>?, gradInputTangent rgx: UnsafeMutablePointer<Scalar>?,
                                batch: Int, parameters θ: UnsafePointer<Scalar>, direction v: UnsafePointer<Scalar>,
                                gradParameters gθ: UnsafeMutablePointer<Scalar>, gradParametersTangent rgθ: UnsafeMutablePointer<Scalar>) {
        // Linear given the mask: no curvature term.
        if let gx { apply(gy, gx, batch * inputSize) }
        if let rgx { apply(rgy, rgx, batch * inputSize) }
    }

    /// out = m ⊙ v with the last mask (training mode), or out = v (evaluation mode).
    private func apply(_ v: UnsafePointer<Scalar>, _ out: UnsafeMutablePointer<Scalar>, _ n: Int) {
        if isTraining { Scalar.multiply(v, mask.pointer, out, n) } else { Scalar.copy(v, out, n) }
    }
}
