/// Softmax cross-entropy against integer labels: ℓ(z, y) = −log softmax(z)_y.
///
/// Gradient p − onehot(y); R-operator p ⊙ (R{z} − ⟨p, R{z}⟩).
public final class SoftmaxCrossEntropy<Scalar: BLASScalar>: Loss {
    public var name: String { "softmax-cross-entropy" }
    private let probabilities = Buffer<Scalar>()

    /// The loss.
    public init() {}

    public func reserve(batch: Int, outputs: Int) { probabilities.reserve(batch * outputs) }

    public func evaluate(output z: UnsafePointer<Scalar>, targets: TargetBatch<Scalar>, batch: Int, outputs: Int,
                         gradient: UnsafeMutablePointer<Scalar>?, gradScale: Scalar) -> (lossSum: Double, correct: Int) {
        guard let labels = targets.labels else { preconditionFailure("softmax cross-entropy needs class labels") }
        probabilities.reserve(batch * outputs)
        return Scalar.softmaxCrossEntropy(logits: z, labels: labels, rows: batch, cols: outputs,
                                          probabilities: probabilities.pointer, gradient: gradient, gradScale: gradScale)
    }

    public func gradientTangent(output z: UnsafePointer<Scalar>, outputTangent rz: UnsafePointer<Scalar>,
                                targets: TargetBatch<Scalar>, batch: Int, outputs: Int,
                                gradScale: Scalar, into rgz: UnsafeMutablePointer<Scalar>) {
        Scalar.softmaxTangent(probabilities: probabilities.pointer, tangent: rz, rows: batch, cols: outputs,
                              gradScale: gradScale, into: rgz)
    }
}
