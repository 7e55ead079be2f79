import Foundation

/// The generic network of the modified-flow checks: a tanh MLP with the squared loss, in Double,
/// on N random points — inputs uniform in [−1, 1]^d (stream "generic-path-data"), target
/// sin 2x₁ + x₂/2 (sin 2x₁ when d = 1), a Glorot-normal start (stream "init"). The mean loss over
/// the whole set and over any batch of it are ``SequentialObjective``s sharing one model.
public struct GenericTanhNetwork {
    /// E over all N examples.
    public let full: SequentialObjective
    /// θ₀, the flat parameters at the start.
    public let start: [Double]
    /// The model's architecture in one line.
    public let summary: String
    private let model: Sequential<Double>
    private let data: Dataset<Double>

    /// The network with `inputs` inputs, `hidden` tanh layers and one output, on `examples` points.
    public init(inputs d: Int, hidden: [Int], examples n: Int, streams: RandomStreams) {
        var dataRNG = streams.stream("generic-path-data")
        let x = (0..<(n * d)).map { _ in dataRNG.nextUniform(in: -1, 1) }
        let y = (0..<n).map { i in Self.target(x[(i * d)..<((i + 1) * d)]) }
        data = Dataset(name: "generic-path", inputs: Matrix(rows: n, cols: d, storage: x), targets: Matrix(rows: n, cols: 1, storage: y))
        model = Sequential<Double>(Architectures.mlp(input: d, hidden: hidden, output: 1, activation: .tanh), loss: MeanSquaredError())
        var initRNG = streams.stream(.initialization)
        model.initialize(Initializer(.glorot, .normal), using: &initRNG)
        start = model.parameters.array(count: model.parameterCount)
        full = SequentialObjective(model: model, data: data)
        summary = model.summary
    }

    /// The target of one input row: sin 2x₁ + x₂/2 (sin 2x₁ for a single input).
    public static func target(_ x: ArraySlice<Double>) -> Double {
        let first = x[x.startIndex]
        return sin(2 * first) + (x.count > 1 ? 0.5 * x[x.startIndex + 1] : 0)
    }

    /// E over the examples at `indices` (a minibatch), on the same model.
    public func batch(_ indices: [Int]) -> SequentialObjective { SequentialObjective(model: model, data: data.subset(indices)) }
}
