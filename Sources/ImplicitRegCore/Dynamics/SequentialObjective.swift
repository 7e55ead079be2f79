/// The full-data-set mean loss of a ``Sequential`` model in Double as a ``DifferentiableObjective``:
/// gradient by backpropagation, Hessian-vector products by the exact R-operator, the third
/// derivative by central differences of those products (the protocol's default).
///
/// The model's ``Sequential/parameters`` buffer is overwritten with θ at every call, so one
/// objective owns its model; it is not safe to share across threads.
public final class SequentialObjective: DifferentiableObjective {
    /// The model (its parameter buffer is the objective's scratch).
    public let model: Sequential<Double>
    /// The data the loss is averaged over.
    public let data: Dataset<Double>
    private let scratch = Buffer<Double>()
    private let output = Buffer<Double>()

    /// The mean loss of `model` over `data`.
    public init(model: Sequential<Double>, data: Dataset<Double>) {
        self.model = model
        self.data = data
        output.reserve(model.parameterCount)
    }

    public var dimension: Int { model.parameterCount }

    private func load(_ θ: [Double]) {
        precondition(θ.count == model.parameterCount, "θ has \(θ.count) entries, the model \(model.parameterCount)")
        θ.withUnsafeBufferPointer { Double.copy($0.baseAddress!, model.parameters.pointer, θ.count) }
    }

    public func value(at θ: [Double]) -> Double {
        load(θ)
        return model.evaluate(data).loss
    }

    public func gradient(at θ: [Double]) -> [Double] {
        load(θ)
        model.fullGradient(data, into: output.pointer, scratch: scratch)
        return output.array(count: model.parameterCount)
    }

    public func hessianVectorProduct(at θ: [Double], _ v: [Double]) -> [Double] {
        load(θ)
        v.withUnsafeBufferPointer { model.fullHessianVectorProduct($0.baseAddress!, into: output.pointer, data: data, scratch: scratch) }
        return output.array(count: model.parameterCount)
    }
}
