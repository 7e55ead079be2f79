/// The targets of one batch: class labels, regression values, or both.
public struct TargetBatch<Scalar: BLASScalar> {
    /// Class labels, one per row (nil for pure regression).
    public var labels: UnsafePointer<Int32>?
    /// Target values, rows × outputs (nil for pure classification).
    public var values: UnsafePointer<Scalar>?

    /// Targets for one batch.
    public init(labels: UnsafePointer<Int32>?, values: UnsafePointer<Scalar>?) {
        self.labels = labels
        self.values = values
    }
}

/// A loss over the model's outputs, with its gradient and the R-operator of its gradient.
///
/// The model's objective is the batch mean, L = (1/B) Σᵢ ℓ(zᵢ, tᵢ); `evaluate` returns Σᵢ ℓ
/// and the caller chooses the gradient scale (1/B for the mean).
public protocol Loss<Scalar>: AnyObject {
    /// The scalar type.
    associatedtype Scalar: BLASScalar
    /// Name recorded in artifacts ("softmax-cross-entropy").
    var name: String { get }
    /// Sizes workspaces for `batch` rows of `outputs` values.
    func reserve(batch: Int, outputs: Int)
    /// Σᵢ ℓ(zᵢ, tᵢ) (in Double) and the number of rows whose arg-max matches the label (0 without
    /// labels); when `gradient` is non-nil it receives gradScale·∂(Σᵢ ℓ)/∂z.
    func evaluate(output z: UnsafePointer<Scalar>, targets: TargetBatch<Scalar>, batch: Int, outputs: Int,
                  gradient: UnsafeMutablePointer<Scalar>?, gradScale: Scalar) -> (lossSum: Double, correct: Int)
    /// R{gradient} for the output tangent `rz`, for the batch last passed to `evaluate`.
    func gradientTangent(output z: UnsafePointer<Scalar>, outputTangent rz: UnsafePointer<Scalar>,
                         targets: TargetBatch<Scalar>, batch: Int, outputs: Int,
                         gradScale: Scalar, into rgz: UnsafeMutablePointer<Scalar>)
}
