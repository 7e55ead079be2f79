import Foundation
import ImplicitRegCore
import Testing

// The exact-numerics machinery of the backward-error readings: the closed-form two-parameter model
// against finite differences, the modified-flow fields against finite differences and against the
// all-orders answer for a quadratic loss, the generic network objective against the closed form,
// and the orders of one gradient-descent step against the flows.

/// E = ½ θᵀAθ: GD is θ ↦ (I − hA)θ and its modified field to all orders is (1/h) log(I − hA) θ
/// = −(A + (h/2)A² + (h²/3)A³ + …)θ; ∇³E = 0.
struct QuadraticObjective: DifferentiableObjective {
    let a: [[Double]]
    var dimension: Int { a.count }
    func times(_ v: [Double]) -> [Double] { a.map { Vector.dot($0, v) } }
    func value(at θ: [Double]) -> Double { 0.5 * Vector.dot(θ, times(θ)) }
    func gradient(at θ: [Double]) -> [Double] { times(θ) }
    func hessianVectorProduct(at θ: [Double], _ v: [Double]) -> [Double] { times(v) }
}

enum FD {
    static func gradient(_ f: ([Double]) -> Double, at θ: [Double], step r: Double = 1e-5) -> [Double] {
        θ.indices.map { i in
            var p = θ, m = θ
            p[i] += r
            m[i] -= r
            return (f(p) - f(m)) / (2 * r)
        }
    }

    static func jacobianTimes(_ f: ([Double]) -> [Double], at θ: [Double], _ v: [Double], step r: Double = 1e-5) -> [Double] {
        let p = f(Vector.adding(θ, r, v)), m = f(Vector.adding(θ, -r, v))
        return zip(p, m).map { ($0 - $1) / (2 * r) }
    }

    static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        Vector.distance(a, b) / max(Vector.norm(a), Vector.norm(b), 1e-300)
    }
}

/// A tanh MLP 2-3-1 with the squared loss on 8 points, in Double, as the generic path uses it.
func tinyTanhNetwork(seed: UInt64 = 3) -> (SequentialObjective, [Double]) {
    var rng = RandomStreams(seed: seed).stream("tiny")
    let x = (0..<16).map { _ in rng.nextUniform(in: -1, 1) }
    let y = (0..<8).map { i in sin(2 * x[2 * i]) + 0.5 * x[2 * i + 1] }
    let data = Dataset(name: "tiny", inputs: Matrix(rows: 8, cols: 2, storage: x), targets: Matrix(rows: 8, cols: 1, storage: y))
    let model = Sequential<Double>(Architectures.mlp(input: 2, hidden: [3], output: 1, activation: .tanh), loss: MeanSquaredError())
    var initRNG = RandomStreams(seed: seed).stream(.initialization)
    model.initialize(Initializer(.glorot, .normal), using: &initRNG)
    let θ = model.parameters.array(count: model.parameterCount)
    return (SequentialObjective(model: model, data: data), θ)
}

@Suite("Modified flows")
struct ModifiedFlowTests {
    static let product = ProductModel(x: [1, 0.5, -0.8], y: [2, 0.7, -1.5])
    static let θ = [0.7, 1.3]

    @Test func productModelDerivativesMatchFiniteDifferences() {
        let m = Self.product, θ = Self.θ
        #expect(FD.relativeError(m.gradient(at: θ), FD.gradient(m.value, at: θ)) < 1e-9)
        let v = [0.3, -1.1], u = [-0.4, 0.9]
        let hv = m.hessianVectorProduct(at: θ, v)
        #expect(FD.relativeError(hv, FD.jacobianTimes(m.gradient, at: θ, v)) < 1e-9)
        let h = m.hessian(at: θ)
        #expect(FD.relativeError(hv, h.map { Vector.dot($0, v) }) < 1e-14)
        let t = m.thirdDerivative(at: θ, u, v)
        #expect(FD.relativeError(t, m.finiteDifferenceThirdDerivative(at: θ, u, v, step: 1e-4)) < 1e-7)
        // Symmetric in its two arguments.
        #expect(FD.relativeError(t, m.thirdDerivative(at: θ, v, u)) < 1e-14)
        // Eigenvalues: trace and determinant.
        let (lo, hi) = m.hessianEigenvalues(at: θ)
        #expect(abs(lo + hi - (h[0][0] + h[1][1])) < 1e-12)
        #expect(abs(lo * hi - (h[0][0] * h[1][1] - h[0][1] * h[0][1])) < 1e-12)
    }

    @Test func productModelFactsOfTheSingleExampleCase() {
        // ‖∇E‖² = 2x²(a² + b²)E and, on the curve ab = y/x, sharpness x²(a² + b²).
        let m = ProductModel(x: [1.5], y: [2]), θ = [0.4, 2.1]
        let g = m.gradient(at: θ)
        #expect(abs(Vector.dot(g, g) - 2 * 2.25 * (0.16 + 4.41) * m.value(at: θ)) < 1e-12)
        let minimum = [2.0, 2.0 / 3.0]
        #expect(abs(m.hessianEigenvalues(at: minimum).1 - 2.25 * (4 + 4.0 / 9)) < 1e-12)
        #expect(abs(m.hessianEigenvalues(at: minimum).0) < 1e-12)
    }

    @Test func firstOrderFieldIsMinusTheGradientOfTheModifiedLoss() {
        let h = 0.05
        for (objective, θ) in [(AnyObjective(Self.product), Self.θ), { let (o, t) = tinyTanhNetwork(); return (AnyObjective(o), t) }()] {
            let field = ModifiedGradientFlow(objective, stepSize: h, order: 1)
            // Ẽ = E + (h/4)‖∇E‖², differentiated numerically.
            let modified: ([Double]) -> Double = { p in
                let g = objective.gradient(at: p)
                return objective.value(at: p) + h / 4 * Vector.dot(g, g)
            }
            let reference = Vector.scaled(FD.gradient(modified, at: θ), -1)
            #expect(FD.relativeError(field.velocity(at: θ), reference) < 1e-8)
            // The same flow written as a gradient penalty with K = 1, μ = h/4.
            let penalty = GradientPenaltyFlow(objective, penalising: [objective], coefficient: h / 4)
            #expect(FD.relativeError(field.velocity(at: θ), penalty.velocity(at: θ)) < 1e-14)
            #expect(abs(penalty.modifiedLoss(at: θ) - modified(θ)) < 1e-14)
        }
    }

    @Test func minibatchPenaltyIsTheGradientOfItsLoss() {
        let batches = [Self.product.subset([0, 1]), Self.product.subset([2])]
        let flow = GradientPenaltyFlow(Self.product, penalising: batches, coefficient: 0.03)
        let reference = Vector.scaled(FD.gradient(flow.modifiedLoss, at: Self.θ), -1)
        #expect(FD.relativeError(flow.velocity(at: Self.θ), reference) < 1e-8)
    }

    @Test func quadraticFieldsMatchTheLogarithmSeries() {
        let q = QuadraticObjective(a: [[2, 0.5], [0.5, 1]])
        let θ = [0.8, -1.2], h = 0.1
        let a1 = q.times(θ), a2 = q.times(a1), a3 = q.times(a2)
        let expected: [[Double]] = [
            Vector.scaled(a1, -1),
            Vector.adding(Vector.scaled(a1, -1), -h / 2, a2),
            Vector.adding(Vector.adding(Vector.scaled(a1, -1), -h / 2, a2), -h * h / 3, a3),
        ]
        for order in 0...2 {
            let v = ModifiedGradientFlow(q, stepSize: h, order: order).velocity(at: θ)
            // The finite-difference third derivative of a quadratic is zero up to round-off.
            #expect(FD.relativeError(v, expected[order]) < 1e-10, "order \(order)")
        }
    }

    @Test func genericThirdDerivativeMatchesTheClosedForm() {
        // A network built from the same layers as ProductModel: f(x) = b·(a·x) (two 1×1 dense
        // layers without bias) with the squared loss: its finite-difference ∇³ against the closed form.
        let data = Dataset(name: "p", inputs: Matrix(rows: 3, cols: 1, storage: [1, 0.5, -0.8]),
                           targets: Matrix(rows: 3, cols: 1, storage: [2, 0.7, -1.5]))
        let model = Sequential<Double>([Dense(1, 1, bias: false), Dense(1, 1, bias: false)], loss: MeanSquaredError())
        let net = SequentialObjective(model: model, data: data)
        let θ = Self.θ, u = [0.2, 0.9], v = [-1.0, 0.4]
        #expect(abs(net.value(at: θ) - Self.product.value(at: θ)) < 1e-14)
        #expect(FD.relativeError(net.gradient(at: θ), Self.product.gradient(at: θ)) < 1e-14)
        #expect(FD.relativeError(net.hessianVectorProduct(at: θ, v), Self.product.hessianVectorProduct(at: θ, v)) < 1e-13)
        #expect(FD.relativeError(net.thirdDerivative(at: θ, u, v), Self.product.thirdDerivative(at: θ, u, v)) < 1e-7)
        let second = ModifiedGradientFlow(net, stepSize: 0.1, order: 2).velocity(at: θ)
        #expect(FD.relativeError(second, ModifiedGradientFlow(Self.product, stepSize: 0.1, order: 2).velocity(at: θ)) < 1e-9)
    }

    /// One GD step is the time-h flow of the order-p field up to O(h^(p+2)).
    @Test(arguments: [0, 1, 2])
    func oneStepErrorHasTheBackwardErrorOrder(order: Int) throws {
        let m = ProductModel(x: [1], y: [2]), θ = [0.5, 1.5]
        let hs = [0.04, 0.02, 0.01, 0.005]
        let errors = hs.map { h in
            let flow = RungeKutta4.integrate(ModifiedGradientFlow(m, stepSize: h, order: order), from: θ, duration: h, substeps: 40)
            return Vector.distance(GradientDescent.step(m, from: θ, stepSize: h), flow)
        }
        let fit = try PowerLawFit(x: hs, y: errors)
        #expect(abs(fit.slope - Double(order + 2)) < 0.1, "slope \(fit.slope)")
    }

    @Test func powerIterationFindsTheTopEigenvalue() {
        let q = QuadraticObjective(a: [[3, 1, 0], [1, 2, 0], [0, 0, 0.5]])
        let top = (5 + 5.0.squareRoot()) / 2
        #expect(abs(q.topHessianEigenvalue(at: [0, 0, 0], start: [1, 1, 1]) - top) < 1e-8)
    }
}

/// A type-erased objective so tests can loop over different ones.
struct AnyObjective: DifferentiableObjective {
    let dimension: Int
    let valueBody: ([Double]) -> Double
    let gradientBody: ([Double]) -> [Double]
    let hvpBody: ([Double], [Double]) -> [Double]
    init(_ o: some DifferentiableObjective) {
        dimension = o.dimension
        valueBody = o.value
        gradientBody = o.gradient
        hvpBody = o.hessianVectorProduct
    }
    func value(at θ: [Double]) -> Double { valueBody(θ) }
    func gradient(at θ: [Double]) -> [Double] { gradientBody(θ) }
    func hessianVectorProduct(at θ: [Double], _ v: [Double]) -> [Double] { hvpBody(θ, v) }
}
