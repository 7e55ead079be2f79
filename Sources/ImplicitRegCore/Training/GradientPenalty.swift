/// Gradients of a loss plus a penalty on minibatch gradient norms,
///
///     C̃(θ) = C(θ) + (μ/K) Σₖ ‖∇Ĉₖ(θ) − β∇C(θ)‖²,   β ∈ {0, 1},
///
/// with C the mean loss over the data and Ĉₖ the mean loss over block k of a partition into K
/// blocks of equal size (so C = (1/K)Σₖ Ĉₖ). Because ∇‖v‖² = 2(∂v/∂θ)ᵀv and Σₖ(∇Ĉₖ − ∇C) = 0,
///
///     ∇C̃ = ∇C + (2μ/K) Σₖ ∇²Ĉₖ (∇Ĉₖ − β∇C),
///
/// one exact Hessian-vector product (R-operator) per block. β = 0, K = 1 is explicit gradient
/// regularisation E + μ‖∇E‖² (Barrett & Dherin); β = 0 over minibatches is the SGD regulariser
/// (ε/4m)Σₖ‖∇Ĉₖ‖² with μ = ε/4 (Smith et al.); β = 1 keeps only its minibatch-variance part, the
/// part that full-batch GD (which already carries (ε/4)‖∇C‖² implicitly) lacks.
public final class GradientPenalty<Scalar: BLASScalar> {
    /// μ.
    public let coefficient: Double
    /// Whether the block gradients are centred (β = 1) or not (β = 0).
    public let centred: Bool
    private let full = Buffer<Scalar>(), blockGradient = Buffer<Scalar>(), direction = Buffer<Scalar>()
    private let product = Buffer<Scalar>(), scratch = Buffer<Scalar>(), blockGradients = Buffer<Scalar>()

    /// The penalty (μ/K)Σₖ‖∇Ĉₖ − β∇C‖².
    public init(coefficient μ: Double, centred: Bool) {
        self.coefficient = μ
        self.centred = centred
    }

    /// Writes ∇C̃(θ) at the model's parameters to `gradient` and returns (C, (1/K)Σₖ‖∇Ĉₖ − β∇C‖²,
    /// (1/K)Σₖ‖∇Ĉₖ‖²). `blocks` partition `data` into equal-size blocks (checked by count only).
    public func gradient(_ model: Sequential<Scalar>, data: Dataset<Scalar>, blocks: [Dataset<Scalar>],
                         into gradient: UnsafeMutablePointer<Scalar>) -> (loss: Double, penalty: Double, meanBlockGradientNorm: Double) {
        let p = model.parameterCount, k = blocks.count
        precondition(k >= 1 && blocks.allSatisfy { $0.count == blocks[0].count } && blocks[0].count * k == data.count,
                     "GradientPenalty: the blocks must partition the \(data.count) examples into equal sizes")
        for b in [full, blockGradient, direction, product] { b.reserve(p) }
        blockGradients.reserve(p * k)
        let loss = model.fullGradient(data, into: full.pointer, scratch: scratch)
        Scalar.copy(full.pointer, gradient, p)
        var penalty = 0.0, norms = 0.0
        for (i, block) in blocks.enumerated() {
            let gk = blockGradients.pointer + i * p
            model.fullGradient(block, into: gk, scratch: scratch)
            norms += Scalar.sumOfSquares(gk, p)
            if centred { Scalar.subtract(gk, full.pointer, direction.pointer, p) } else { Scalar.copy(gk, direction.pointer, p) }
            penalty += Scalar.sumOfSquares(direction.pointer, p)
            guard coefficient != 0 else { continue }
            model.fullHessianVectorProduct(direction.pointer, into: product.pointer, data: block, scratch: scratch)
            Scalar.axpy(p, Scalar(2 * coefficient / Double(k)), product.pointer, gradient)
        }
        return (loss, penalty / Double(k), norms / Double(k))
    }
}
