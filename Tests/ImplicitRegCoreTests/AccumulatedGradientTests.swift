import ImplicitRegCore
import Testing

// `Sequential.accumulateGradient` folds the gradient into a target inside the weight-gradient
// GEMMs (target ← β·target + w·∇L). It must equal the two-step version — gradient by the backward
// pass, then the update — for layers that accumulate natively (dense) and through the scratch
// fallback (convolution), including the aliased case target = θ (a plain SGD step), where each
// layer has to form ∂L/∂x before its own parameters change. Double, so the only differences are
// summation order: relative 1e-12.
@Suite("Accumulated gradient")
struct AccumulatedGradientTests {
    static let cases: [(ModelCase, Double, Double)] = ModelCase.allCases.flatMap { m in
        [(m, 1.0, -0.3), (m, 0.9, 1.0), (m, 0.0, 2.0)]
    }

    @Test(arguments: cases)
    func equalsGradientThenUpdate(model: ModelCase, beta: Double, weight: Double) {
        let problem = CheckProblem(layers: model.layers(), loss: SoftmaxCrossEntropy(), batch: model.batch)
        let g = problem.gradients().parameters
        var rng = RandomStreams(seed: 4).stream("target")
        let start = (0..<problem.parameterCount).map { _ in rng.nextNormal() }
        var target = start
        problem.withTargets { t in
            problem.inputs.withUnsafeBufferPointer { x in
                target.withUnsafeMutableBufferPointer { out in
                    _ = problem.model.accumulateGradient(x.baseAddress, targets: t, batch: problem.batch,
                                                         into: out.baseAddress!, beta: beta, gradientWeight: weight)
                }
            }
        }
        let expected = zip(start, g).map { beta * $0 + weight * $1 }
        #expect(relativeError(target, expected) < 1e-12)
    }

    @Test(arguments: ModelCase.allCases)
    func aStepIntoTheParametersIsPlainSGD(model: ModelCase) {
        let problem = CheckProblem(layers: model.layers(), loss: SoftmaxCrossEntropy(), batch: model.batch)
        let θ = problem.parameters
        let g = problem.gradients().parameters
        let ε = 0.25
        problem.withTargets { t in
            problem.inputs.withUnsafeBufferPointer { x in
                _ = problem.model.accumulateGradient(x.baseAddress, targets: t, batch: problem.batch,
                                                     into: problem.model.parameters.pointer, beta: 1, gradientWeight: -ε)
            }
        }
        let expected = zip(θ, g).map { $0 - ε * $1 }
        #expect(relativeError(problem.parameters, expected) < 1e-12)
    }

    private func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        let diff = zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        let scale = b.map { $0 * $0 }.reduce(0, +).squareRoot()
        return diff / max(scale, 1e-300)
    }
}
