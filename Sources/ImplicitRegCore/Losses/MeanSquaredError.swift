/// Squared error ℓ(z, t) = ½‖z − t‖² per example (the model reports its batch mean).
///
/// Gradient z − t; R-operator R{z}. With labels present, accuracy is the arg-max match rate.
public final class MeanSquaredError<Scalar: BLASScalar>: Loss {
    public var name: String { "mean-squared-error" }

    /// The loss.
    public init() {}

    public func reserve(batch: Int, outputs: Int) {}

    public func evaluate(output z: UnsafePointer<Scalar>, targets: TargetBatch<Scalar>, batch: Int, outputs: Int,
                         gradient: UnsafeMutablePointer<Scalar>?, gradScale: Scalar) -> (lossSum: Double, correct: Int) {
        guard let values = targets.values else { preconditionFailure("squared error needs target values") }
        let loss = Scalar.squaredError(output: z, targets: values, count: batch * outputs,
                                       gradient: gradient, gradScale: gradScale)
        let correct = targets.labels.map { Scalar.argmaxMatches(z, labels: $0, rows: batch, cols: outputs) } ?? 0
        return (loss, correct)
    }

    public func gradientTangent(output z: UnsafePointer<Scalar>, outputTangent rz: UnsafePointer<Scalar>,
                                targets: TargetBatch<Scalar>, batch: Int, outputs: Int,
                                gradScale: Scalar, into rgz: UnsafeMutablePointer<Scalar>) {
        Scalar.scaled(rz, gradScale, rgz, batch * outputs)
    }
}
