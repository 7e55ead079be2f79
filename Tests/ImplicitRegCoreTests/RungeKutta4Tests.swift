import Foundation
import ImplicitRegCore
import Testing

// RK4 against ODEs with exact solutions, its fourth order, and the substep-halving check; the
// log–log power-law fit against exact power laws.

@Suite("RK4 and power-law fits")
struct RungeKutta4Tests {
    /// θ̇ = Aθ with A a rotation generator: θ(t) = (cos t, −sin t) from (1, 0).
    static var rotation: ClosureField { ClosureField(dimension: 2) { θ in [θ[1], -θ[0]] } }
    /// θ̇ = −θ²: θ(t) = θ₀/(1 + θ₀t).
    static var riccati: ClosureField { ClosureField(dimension: 1) { θ in [-θ[0] * θ[0]] } }

    @Test func matchesExactSolutionsToFourthOrder() {
        let T = 2.0
        let exactRotation = [cos(T), -sin(T)]
        let exactRiccati = [1.0 / (1 + T)]
        for (field, start, exact) in [(Self.rotation, [1.0, 0.0], exactRotation), (Self.riccati, [1.0], exactRiccati)] {
            let e20a = Vector.distance(RungeKutta4.integrate(field, from: start, duration: T, substeps: 20), exact)
            let e40a = Vector.distance(RungeKutta4.integrate(field, from: start, duration: T, substeps: 40), exact)
            let e80 = Vector.distance(RungeKutta4.integrate(field, from: start, duration: T, substeps: 80), exact)
            #expect(e80 < 1e-6)
            // Fourth order: each halving of the step divides the error by 2⁴ = 16 (asymptotically).
            #expect((14.0...18.0).contains(e20a / e40a), "error ratio \(e20a / e40a)")
            #expect((14.0...18.0).contains(e40a / e80), "error ratio \(e40a / e80)")
        }
    }

    @Test func trajectorySamplesTheGridAndHalvingBoundsTheError() {
        let h = 0.1, steps = 30
        let checked = RungeKutta4.checkedTrajectory(Self.rotation, from: [1, 0], stepLength: h, steps: steps, substeps: 2)
        #expect(checked.states.count == steps + 1)
        var worst = 0.0
        for (n, state) in checked.states.enumerated() {
            let t = Double(n) * h
            worst = max(worst, Vector.distance(state, [cos(t), -sin(t)]))
        }
        // The reported change is the coarse (K) error to within 1/16, so it bounds the fine (2K) error ≈ change/15.
        #expect(checked.halvingChange > 0)
        #expect(worst < checked.halvingChange / 10)
        #expect(worst > checked.halvingChange / 30)
    }

    @Test(arguments: [1.0, 2.0, 3.0, 4.0, -1.5])
    func powerLawFitRecoversExactExponents(p: Double) throws {
        let x = [0.08, 0.04, 0.02, 0.01, 0.005]
        let fit = try PowerLawFit(x: x, y: x.map { 3.7 * pow($0, p) })
        #expect(abs(fit.slope - p) < 1e-12)
        #expect(abs(fit.predict(0.03) - 3.7 * pow(0.03, p)) < 1e-10 * 3.7 * pow(0.03, p))
        #expect(fit.maxResidual < 1e-12)
        #expect(fit.range == 0.005...0.08)
    }

    @Test func powerLawFitOfACurvedSeriesReportsItsResidual() throws {
        // y = x² + x³: the slope lies between 2 and 3 and the residual is visible.
        let x = [0.4, 0.2, 0.1, 0.05]
        let fit = try PowerLawFit(x: x, y: x.map { $0 * $0 + $0 * $0 * $0 })
        #expect(fit.slope > 2 && fit.slope < 2.3)
        #expect(fit.maxResidual > 1e-3)
    }

    @Test func powerLawFitRejectsBadData() {
        #expect(throws: PowerLawFitError.self) { try PowerLawFit(x: [1], y: [1]) }
        #expect(throws: PowerLawFitError.self) { try PowerLawFit(x: [1, 2], y: [0, 1]) }
        #expect(throws: PowerLawFitError.self) { try PowerLawFit(x: [2, 2], y: [1, 1]) }
    }
}
