/// The optimiser step on a model's flat parameter vector from a gradient buffer: plain SGD
/// θ ← θ − εg, heavy-ball or Nesterov momentum, weight decay on the weights (not the biases).
///
/// ``Trainer`` and ``MinibatchSGD`` both step through it, so a change of optimiser reaches every
/// Float training loop. (For speed, ``Trainer`` folds plain SGD and heavy-ball momentum into its
/// weight-gradient GEMMs, keeping only the velocity here; Nesterov momentum and weight decay go
/// through ``apply(gradient:to:count:learningRate:)``.)
public final class GradientUpdate<Scalar: BLASScalar> {
    /// μ.
    public let momentum: Double
    /// Nesterov's form of momentum.
    public let nesterov: Bool
    /// The L2 coefficient on the weights.
    public let weightDecay: Double
    /// The velocity (heavy-ball and Nesterov momentum).
    public let velocity: Buffer<Scalar>
    /// 1 on weights, 0 on biases: where weight decay applies.
    let decayMask: Buffer<Scalar>

    /// An optimiser for `model`'s parameters.
    public init(model: Sequential<Scalar>, momentum: Double = 0, nesterov: Bool = false, weightDecay: Double = 0) {
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        velocity = Buffer(capacity: model.parameterCount)
        decayMask = Buffer(model.weightMask())
    }

    /// The optimiser of `options` (momentum, Nesterov, weight decay).
    public convenience init(model: Sequential<Scalar>, options: TrainingOptions) {
        self.init(model: model, momentum: options.momentum, nesterov: options.nesterov, weightDecay: options.weightDecay)
    }

    /// One step of `parameters` (`count` values) along `gradient` with step size `learningRate`.
    /// Plain SGD is one BLAS axpy, θ ← θ + (−ε)g.
    public func apply(gradient: UnsafeMutablePointer<Scalar>, to parameters: UnsafeMutablePointer<Scalar>, count: Int,
                      learningRate: Double) {
        if momentum == 0 && !nesterov && weightDecay == 0 {
            Scalar.axpy(count, Scalar(-learningRate), gradient, parameters)
            return
        }
        Scalar.momentumStep(parameters: parameters, gradient: gradient, velocity: velocity.pointer, count: count,
                            learningRate: Scalar(learningRate), momentum: Scalar(momentum), nesterov: nesterov,
                            weightDecay: Scalar(weightDecay), decayMask: decayMask.pointer)
    }
}
