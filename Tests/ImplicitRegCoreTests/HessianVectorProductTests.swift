import ImplicitRegCore
import Testing

// The exact Hessian-vector product Hv = R{∇L} (Pearlmutter's R-operator through every layer)
// against the central difference (∇L(θ + hv) − ∇L(θ − hv)) / 2h, h = 1e-5, in Double, and its
// symmetry uᵀ(Hv) = vᵀ(Hu). Random normal inputs and parameters keep ReLU pre-activations and
// max-pooling windows away from kinks and ties (see GradientCheckTests.swift); the helpers
// (`CheckProblem`, `LayerCase`, `LossCase`, `FiniteDifference`) live there too.

/// The networks whose curvature the readings use, at toy sizes.
enum ModelCase: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case mlpTanh, mlpReLU, smallCNN, deepLinear
    var testDescription: String { rawValue }

    func layers() -> [any Layer<Double>] {
        switch self {
        case .mlpTanh: Architectures.mlp(input: 6, hidden: [5, 4], output: 3, activation: .tanh)
        case .mlpReLU: Architectures.mlp(input: 6, hidden: [5, 4], output: 3, activation: .relu)
        case .smallCNN: Architectures.smallCNN(channels: 1, height: 8, width: 8, classes: 3, filters: (2, 3), hidden: 5)
        case .deepLinear: Architectures.deepLinear(dimension: 4, depth: 3)
        }
    }

    var batch: Int { self == .smallCNN ? 3 : 4 }
}

extension CheckProblem {
    /// A random direction in parameter space, N(0, 1) per coordinate.
    func direction(_ name: String) -> [Double] {
        var rng = RandomStreams(seed: 9).stream(name)
        return (0..<parameterCount).map { _ in rng.nextNormal() }
    }

    /// (Hv, R{∂L/∂x}, ∇L) by the R-operator.
    func exactHVP(_ v: [Double]) -> (hv: [Double], inputGradientTangent: [Double], gradient: [Double]) {
        var hv = [Double](repeating: .nan, count: parameterCount)
        var g = [Double](repeating: .nan, count: parameterCount)
        withTargets { t in
            inputs.withUnsafeBufferPointer { x in
                v.withUnsafeBufferPointer { vp in
                    hv.withUnsafeMutableBufferPointer { hp in
                        g.withUnsafeMutableBufferPointer { gp in
                            _ = model.hessianVectorProduct(vp.baseAddress!, into: hp.baseAddress!, inputs: x.baseAddress,
                                                           targets: t, batch: batch, gradientInto: gp.baseAddress)
                        }
                    }
                }
            }
        }
        return (hv, probe.gradientTangent, g)
    }

    /// Sequential's central-difference Hessian-vector product.
    func finiteDifferenceHVP(_ v: [Double], step: Double) -> [Double] {
        var hv = [Double](repeating: .nan, count: parameterCount)
        withTargets { t in
            inputs.withUnsafeBufferPointer { x in
                v.withUnsafeBufferPointer { vp in
                    hv.withUnsafeMutableBufferPointer { hp in
                        model.finiteDifferenceHessianVectorProduct(vp.baseAddress!, into: hp.baseAddress!, step: step,
                                                                   inputs: x.baseAddress, targets: t, batch: batch)
                    }
                }
            }
        }
        return hv
    }

    /// (∂L/∂x(θ + hv) − ∂L/∂x(θ − hv)) / 2h: the reference for R{∂L/∂x}.
    func finiteDifferenceInputGradientTangent(_ v: [Double], step h: Double) -> [Double] {
        let θ = parameters
        let plus = gradients(parameters: zip(θ, v).map { $0 + h * $1 }).inputs
        let minus = gradients(parameters: zip(θ, v).map { $0 - h * $1 }).inputs
        return zip(plus, minus).map { ($0 - $1) / (2 * h) }
    }
}

@Suite("Hessian-vector products")
struct HessianVectorProductTests {
    static let step = 1e-5
    static let tolerance = 1e-6

    /// Hv by the R-operator equals the finite-difference product for the readings' networks.
    @Test(arguments: ModelCase.allCases, LossCase.allCases)
    func exactProductMatchesFiniteDifferences(model: ModelCase, loss: LossCase) {
        let problem = CheckProblem(layers: model.layers(), loss: loss.make(), batch: model.batch, seed: 5)
        let v = problem.direction("v")
        let exact = problem.exactHVP(v)
        let reference = problem.finiteDifferenceHVP(v, step: Self.step)
        #expect(FiniteDifference.norm(exact.hv) > 1e-3, "vacuous check: Hv = 0")
        #expect(FiniteDifference.relativeError(exact.hv, reference) < Self.tolerance)
        // The R-pass returns the ordinary gradient too.
        #expect(FiniteDifference.relativeError(exact.gradient, problem.gradients().parameters) < 1e-14)
    }

    /// The same for every single layer (with its dense head), including R{∂L/∂x}. A dense stem goes
    /// in front of the layer under test: the model input has R{x₀} = 0, so without the stem the
    /// layer's `inputTangent` terms (e.g. gy·cols(R{x})ᵀ of a convolution) would go unchecked; with
    /// it, R{∂L/∂x} = R{gy}·Wᵀ + gy·Vᵀ of the stem carries the layer's `gradInputTangent`.
    @Test(arguments: LayerCase.allCases, LossCase.allCases)
    func layerTangentsMatchFiniteDifferences(layer: LayerCase, loss: LossCase) {
        let layers = layer.layers()
        let stem = Dense<Double>(layers[0].inputSize, layers[0].inputSize)
        let problem = CheckProblem(layers: [stem] + layers, loss: loss.make(), batch: 3, seed: 6)
        let v = problem.direction("v")
        let exact = problem.exactHVP(v)
        let reference = problem.finiteDifferenceHVP(v, step: Self.step)
        let inputReference = problem.finiteDifferenceInputGradientTangent(v, step: Self.step)
        #expect(FiniteDifference.norm(exact.hv) > 1e-3, "vacuous check: Hv = 0")
        #expect(FiniteDifference.norm(exact.inputGradientTangent) > 1e-3, "vacuous check: R{∂L/∂x} = 0")
        #expect(FiniteDifference.relativeError(exact.hv, reference) < Self.tolerance)
        #expect(FiniteDifference.relativeError(exact.inputGradientTangent, inputReference) < Self.tolerance)
    }

    /// H is symmetric: uᵀ(Hv) = vᵀ(Hu) up to rounding.
    @Test(arguments: ModelCase.allCases, LossCase.allCases)
    func productIsSymmetric(model: ModelCase, loss: LossCase) {
        let problem = CheckProblem(layers: model.layers(), loss: loss.make(), batch: model.batch, seed: 7)
        let u = problem.direction("u"), v = problem.direction("v")
        let hu = problem.exactHVP(u).hv, hv = problem.exactHVP(v).hv
        let uHv = zip(u, hv).reduce(0.0) { $0 + $1.0 * $1.1 }
        let vHu = zip(v, hu).reduce(0.0) { $0 + $1.0 * $1.1 }
        #expect(abs(uHv) > 1e-3, "vacuous check: uᵀHv ≈ 0")
        #expect(abs(uHv - vHu) / max(abs(uHv), abs(vHu)) < 1e-10)
    }
}

/// The first layer's zero-input-tangent passes (dense skips its R{x} products) against central
/// differences of the gradient, on models whose first layer really is the dense one (the checks
/// above put an input probe first).
@Suite("Hessian-vector product, first layer")
struct FirstLayerHessianVectorProductTests {
    @Test(arguments: [ModelCase.mlpTanh, .mlpReLU, .deepLinear])
    func exactMatchesFiniteDifferences(_ model: ModelCase) {
        let net = Sequential<Double>(model.layers(), loss: SoftmaxCrossEntropy())
        var rng = RandomStreams(seed: 3).stream("first-layer")
        CheckProblem.randomize(net, using: &rng)
        let n = net.parameterCount, batch = model.batch
        let x = (0..<(batch * net.inputSize)).map { _ in rng.nextNormal() }
        let labels = (0..<batch).map { _ in Int32(rng.nextInt(below: net.outputSize)) }
        let v = (0..<n).map { _ in rng.nextNormal() }
        var exact = [Double](repeating: .nan, count: n), fd = exact
        labels.withUnsafeBufferPointer { l in
            x.withUnsafeBufferPointer { xp in
                v.withUnsafeBufferPointer { vp in
                    let t = TargetBatch<Double>(labels: l.baseAddress, values: nil)
                    exact.withUnsafeMutableBufferPointer { hv in
                        _ = net.hessianVectorProduct(vp.baseAddress!, into: hv.baseAddress!, inputs: xp.baseAddress, targets: t, batch: batch)
                    }
                    fd.withUnsafeMutableBufferPointer { hv in
                        net.finiteDifferenceHessianVectorProduct(vp.baseAddress!, into: hv.baseAddress!, step: 1e-5,
                                                                 inputs: xp.baseAddress, targets: t, batch: batch)
                    }
                }
            }
        }
        let diff = zip(exact, fd).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        let scale = fd.map { $0 * $0 }.reduce(0, +).squareRoot()
        #expect(diff / scale < 1e-6, "relative error \(diff / scale)")
    }
}
