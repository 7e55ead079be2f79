import Foundation
import ImplicitRegCore
import Testing

// The explicit gradient penalty C + (μ/K)Σₖ‖∇Ĉₖ − β∇C‖² (exact per-block Hessian-vector products)
// against central differences of its value, and average pooling against its definition.

@Suite("Gradient penalty and pooling")
struct GradientPenaltyTests {
    /// A tanh MLP with cross-entropy on 8 random examples in Double.
    func problem() -> (Sequential<Double>, Dataset<Double>) {
        var rng = RandomStreams(seed: 11).stream("gp")
        let x = (0..<(8 * 3)).map { _ in rng.nextNormal() }
        let labels: [Int32] = (0..<8).map { Int32($0 % 3) }
        let data = Dataset(name: "gp", inputs: Matrix(rows: 8, cols: 3, storage: x), labels: labels, classCount: 3)
        let model = Sequential<Double>(Architectures.mlp(input: 3, hidden: [4], output: 3, activation: .tanh), loss: SoftmaxCrossEntropy())
        var initRNG = RandomStreams(seed: 11).stream(.initialization)
        model.initialize(Initializer(.glorot, .normal), using: &initRNG)
        return (model, data)
    }

    /// C̃(θ) computed from gradients only.
    func penalisedLoss(_ model: Sequential<Double>, _ data: Dataset<Double>, _ blocks: [Dataset<Double>], μ: Double, centred: Bool) -> Double {
        let p = model.parameterCount
        let scratch = Buffer<Double>(), g = Buffer<Double>(capacity: p), gk = Buffer<Double>(capacity: p)
        let loss = model.fullGradient(data, into: g.pointer, scratch: scratch)
        var penalty = 0.0
        for block in blocks {
            model.fullGradient(block, into: gk.pointer, scratch: scratch)
            for i in 0..<p {
                let d = gk.pointer[i] - (centred ? g.pointer[i] : 0)
                penalty += d * d
            }
        }
        return loss + μ * penalty / Double(blocks.count)
    }

    @Test(arguments: [false, true])
    func penalisedGradientMatchesFiniteDifferences(centred: Bool) {
        let (model, data) = problem()
        let blocks = [data.subset([0, 3, 5, 6]), data.subset([1, 2, 4, 7])]
        let μ = 0.3, p = model.parameterCount
        let penalty = GradientPenalty<Double>(coefficient: μ, centred: centred)
        var analytic = [Double](repeating: 0, count: p)
        let r = analytic.withUnsafeMutableBufferPointer { penalty.gradient(model, data: data, blocks: blocks, into: $0.baseAddress!) }
        #expect(abs(r.loss + μ * r.penalty - penalisedLoss(model, data, blocks, μ: μ, centred: centred)) < 1e-12)
        let θ = model.parameters.array(count: p)
        var numeric = [Double](repeating: 0, count: p)
        let step = 1e-5
        for i in 0..<p {
            model.parameters.pointer[i] = θ[i] + step
            let plus = penalisedLoss(model, data, blocks, μ: μ, centred: centred)
            model.parameters.pointer[i] = θ[i] - step
            let minus = penalisedLoss(model, data, blocks, μ: μ, centred: centred)
            model.parameters.pointer[i] = θ[i]
            numeric[i] = (plus - minus) / (2 * step)
        }
        #expect(FD.relativeError(analytic, numeric) < 1e-7)
        // The penalty term is not negligible in the check.
        let plain = model.fullGradientArray(data)
        #expect(FD.relativeError(analytic, plain) > 1e-3)
    }

    @Test func averagePoolingMatchesItsDefinition() {
        let image = (0..<16).map(Double.init)
        let data = Dataset(name: "img", inputs: Matrix(rows: 1, cols: 16, storage: image), labels: [0], classCount: 1,
                           exampleShape: (1, 4, 4))
        let pooled = data.averagePooled(by: 2)
        #expect(pooled.inputs.storage == [2.5, 4.5, 10.5, 12.5])
        #expect(pooled.exampleShape == (1, 2, 2))
        let centred = pooled.centred(mean: [2.5, 4.5, 10.5, 12.5])
        #expect(centred.inputs.storage == [0, 0, 0, 0])
    }
}

extension Sequential where Scalar == Double {
    /// ∇C over `data` as an array.
    func fullGradientArray(_ data: Dataset<Double>) -> [Double] {
        let g = Buffer<Double>(capacity: parameterCount)
        fullGradient(data, into: g.pointer, scratch: Buffer<Double>())
        return g.array(count: parameterCount)
    }
}

@Suite("Label flipping")
struct LabelFlippingTests {
    @Test func flipsExactlyTheChosenLabelsToOtherClasses() {
        let labels: [Int32] = (0..<200).map { Int32($0 % 10) }
        let data = Dataset(name: "l", inputs: Matrix(rows: 200, cols: 1, storage: [Float](repeating: 0, count: 200)),
                           labels: labels, classCount: 10)
        var rng = RandomStreams(seed: 2).stream(.labels)
        let (noisy, flipped) = data.flippingLabels(count: 60, using: &rng)
        #expect(flipped.count == 60 && Set(flipped).count == 60)
        let changed = (0..<200).filter { noisy.labels[$0] != labels[$0] }
        #expect(changed == flipped)
        #expect(noisy.labels.allSatisfy { (0..<10).contains($0) })
    }
}
