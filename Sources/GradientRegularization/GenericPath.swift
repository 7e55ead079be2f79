import Foundation
import ImplicitRegCore

/// The network of the generic-path check: a tanh MLP with the squared loss in Double, its data and
/// start drawn from the seed. Gradient by backpropagation, Hessian-vector products by the core's
/// R-operator, ∇³E[u, v] by central differences of those products.
enum GenericPath {
    static func objective(_ setup: GenericPathSetup, streams: RandomStreams) -> (SequentialObjective, [Double], String) {
        var dataRNG = streams.stream("generic-path-data")
        let d = setup.inputs, n = setup.examples
        let x = (0..<(n * d)).map { _ in dataRNG.nextUniform(in: -1, 1) }
        let y = (0..<n).map { i in sin(2 * x[i * d]) + (d > 1 ? 0.5 * x[i * d + 1] : 0) }
        let data = Dataset(name: "generic-path", inputs: Matrix(rows: n, cols: d, storage: x), targets: Matrix(rows: n, cols: 1, storage: y))
        let model = Sequential<Double>(Architectures.mlp(input: d, hidden: setup.hidden, output: 1, activation: .tanh),
                                       loss: MeanSquaredError())
        var initRNG = streams.stream(.initialization)
        model.initialize(Initializer(.glorot, .normal), using: &initRNG)
        let start = model.parameters.array(count: model.parameterCount)
        return (SequentialObjective(model: model, data: data), start, model.summary)
    }
}

