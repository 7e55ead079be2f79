import ImplicitRegCore

/// Figure 1 of the paper, quantitatively: on E(a, b) = ½(y − a b x)² gradient flow conserves
/// D = a² − b², gradient descent shrinks it exactly by Dₙ₊₁ = Dₙ(1 − h²x²rₙ²) (rₙ = aₙbₙx − y), so
/// larger h ends at a more balanced, flatter minimum (sharpness x²(a² + b²), flattest 2|xy| at |a| = |b|).
enum BalanceExperiment {
    /// At most this many points of a stored path (evenly thinned).
    static let pathPoints = 3000

    static func run(_ setup: BalanceSetup, into doc: inout HDF5Document) throws {
        let x = setup.model.x, y = setup.model.y
        let model = setup.model.model
        let start = setup.model.start
        let d0 = start[0] * start[0] - start[1] * start[1]

        // Gradient flow: D conserved (to the integrator's accuracy); endpoint sharpness.
        let steps = Int((setup.flowTime / setup.flowStep).rounded())
        let gf = RungeKutta4.trajectory(ModifiedGradientFlow(model, stepSize: 0, order: 0), from: start,
                                        stepLength: setup.flowStep, steps: steps, substeps: 1)
        let drift = gf.map { abs($0[0] * $0[0] - $0[1] * $0[1] - d0) }.max()!
        let gfEnd = gf.last!
        guard Vector.norm(model.gradient(at: gfEnd)) < 1e-8 else {
            throw TrainingError.notConverged("balance: the gradient flow has ‖∇E‖ = \(Vector.norm(model.gradient(at: gfEnd))) at t = \(setup.flowTime); raise balance.flow_time")
        }
        let gfSharpness = model.hessianEigenvalues(at: gfEnd).1
        let closedForm = x * x * (d0 * d0 + 4 * (y / x) * (y / x)).squareRoot()
        doc.addScalar("/summary/balance/gf_drift_max", drift, units: "parameter²",
                      description: "max over the gradient flow (RK4) of |D(t) − D₀|, D = a² − b² (exactly conserved by the flow)")
        doc.addScalar("/summary/balance/sharpness_gradient_flow", gfSharpness, units: "loss/parameter²",
                      description: "top Hessian eigenvalue at the gradient flow's endpoint")
        doc.addScalar("/summary/balance/sharpness_gradient_flow_closed_form", closedForm, units: "loss/parameter²",
                      description: "x²√(D₀² + 4(y/x)²): the gradient-flow endpoint's sharpness from conservation of D")
        doc.addScalar("/summary/balance/sharpness_flattest", 2 * abs(x * y), units: "loss/parameter²",
                      description: "2|xy|: the sharpness of the flattest global minimum (|a| = |b|)")
        doc.addScalar("/summary/balance/d_initial", d0, units: "parameter²", description: "D₀ = a₀² − b₀²")
        doc.addDataset("/curves/portrait/gf", .double(thin(gf).flatMap { $0 }), shape: [thin(gf).count, 2], units: "parameters (a, b)",
                       description: "gradient-flow path, RK4 step \(setup.flowStep), evenly thinned to ≤ \(pathPoints) points")

        var finals: [Double] = [], sharpness: [Double] = [], stepCounts: [Int64] = [], residuals: [Double] = []
        for h in setup.stepSizes {
            var θ = start
            var d = d0
            var residual = 0.0
            var path = [θ]
            var n = 0
            while Vector.norm(model.gradient(at: θ)) >= setup.gradientTolerance {
                guard n < setup.maxSteps else {
                    throw TrainingError.notConverged("balance: GD with h = \(h) has ‖∇E‖ = \(Vector.norm(model.gradient(at: θ))) after balance.max_steps = \(setup.maxSteps) steps")
                }
                let r = θ[0] * θ[1] * x - y
                θ = GradientDescent.step(model, from: θ, stepSize: h)
                guard θ.allSatisfy(\.isFinite) else { throw TrainingError.divergedRun("balance: GD with h = \(h) gave non-finite parameters at step \(n + 1)") }
                let next = θ[0] * θ[0] - θ[1] * θ[1]
                residual = max(residual, abs(next - d * (1 - h * h * x * x * r * r)) / abs(d0))
                d = next
                n += 1
                if setup.portraitStepSizes.contains(h) { path.append(θ) }
            }
            finals.append(d)
            sharpness.append(model.hessianEigenvalues(at: θ).1)
            stepCounts.append(Int64(n))
            residuals.append(residual)
            if setup.portraitStepSizes.contains(h) {
                let tag = String(format: "h%g", h)
                let gdPath = thin(path)
                doc.addDataset("/curves/portrait/gd_\(tag)", .double(gdPath.flatMap { $0 }), shape: [gdPath.count, 2],
                               units: "parameters (a, b)", description: "GD path with h = \(h) (\(n) steps), evenly thinned to ≤ \(pathPoints) points")
                let mf = RungeKutta4.trajectory(ModifiedGradientFlow(model, stepSize: h, order: 1), from: start,
                                                stepLength: h, steps: n, substeps: 4)
                let mfPath = thin(mf)
                doc.addDataset("/curves/portrait/mf1_\(tag)", .double(mfPath.flatMap { $0 }), shape: [mfPath.count, 2],
                               units: "parameters (a, b)",
                               description: "path of the flow of E + (h/4)‖∇E‖² (λ = h/2 for m = 2) with h = \(h), to time \(Double(n) * h)")
            }
        }
        doc.addDataset("/curves/balance/step_size", .double(setup.stepSizes), units: "1", description: "GD step size h")
        doc.addDataset("/curves/balance/d_final", .double(finals), units: "parameter²", description: "D∞ = a² − b² where GD stopped")
        doc.addDataset("/curves/balance/sharpness", .double(sharpness), units: "loss/parameter²",
                       description: "top Hessian eigenvalue where GD stopped (x²(a² + b²) at a minimum)")
        doc.addDataset("/curves/balance/steps", .int64(stepCounts), units: "steps",
                       description: "GD steps until ‖∇E‖ < \(setup.gradientTolerance)")
        doc.addDataset("/curves/balance/identity_residual", .double(residuals), units: "1",
                       description: "max over steps of |Dₙ₊₁ − Dₙ(1 − h²x²rₙ²)| / |D₀|")
        let balanceSlopes = zip(setup.stepSizes, finals).map { h, d in (1 - d / d0) / h }
        doc.addDataset("/curves/balance/balance_slope", .double(balanceSlopes), units: "time",
                       description: "(1 − D∞/D₀)/h: constant (≈ ∫x²r²dt along the flow) while the effect is first order in h")

        doc.addScalar("/summary/balance/gd_identity_residual_max", residuals.max()!, units: "1",
                      description: "max over h and steps of |Dₙ₊₁ − Dₙ(1 − h²x²rₙ²)| / |D₀|")
        doc.addScalar("/summary/balance/sharpness_decrease_min", zip(sharpness, sharpness.dropFirst()).map { $0 - $1 }.min()!,
                      units: "loss/parameter²", description: "smallest drop of the final sharpness from one h to the next larger (> 0: strictly falling)")
        doc.addScalar("/summary/balance/sharpness_min", sharpness.min()!, units: "loss/parameter²", description: "smallest final sharpness over h")
        doc.addScalar("/summary/balance/sharpness_excess_over_gradient_flow", sharpness.max()! - gfSharpness, units: "loss/parameter²",
                      description: "largest final GD sharpness minus the gradient flow's (≤ 0: every GD endpoint is flatter)")
        doc.addScalar("/summary/balance/sharpness_at_largest_h", sharpness.last!, units: "loss/parameter²",
                      description: "final sharpness at the largest h")
        doc.addScalar("/summary/balance/sharpness_at_smallest_h", sharpness.first!, units: "loss/parameter²",
                      description: "final sharpness at the smallest h")
        let s0 = balanceSlopes[0], s1 = balanceSlopes[1]
        doc.addScalar("/summary/balance/balance_slope_relative_difference", abs(s1 - s0) / abs(s0), units: "1",
                      description: "|slope(h₂) − slope(h₁)| / |slope(h₁)| of (1 − D∞/D₀)/h at the two smallest h (small: first-order effect)")
    }

    /// Every k-th state (and the last) so that at most ``pathPoints`` remain.
    static func thin(_ path: [[Double]]) -> [[Double]] {
        guard path.count > pathPoints else { return path }
        let stride = (path.count + pathPoints - 2) / (pathPoints - 1)
        var out = Swift.stride(from: 0, to: path.count, by: stride).map { path[$0] }
        if out.last! != path.last! { out.append(path.last!) }
        return out
    }
}
