import ImplicitRegCore

/// The backward-error order experiments, for any loss: gradient descent against the gradient flow
/// (GF, order 0), the flow of Ẽ = E + (h/4)‖∇E‖² (MF1) and the second-order modified flow (MF2),
/// all on the GD time grid (RK4, K substeps per step, checked against 2K).
enum OrderExperiments {
    static let flows = ["gf", "mf1", "mf2"]
    static let flowNames = ["gradient flow of E", "flow of E + (h/4)‖∇E‖² (first-order modified flow)",
                            "second-order modified flow (adds h²f₂)"]

    /// One GD step from `start` for each h: distances to the three flows run for time h.
    static func local(_ objective: some DifferentiableObjective, start: [Double], stepSizes: [Double], substeps: Int,
                      prefix: String, into doc: inout HDF5Document) throws {
        var errors = [[Double]](repeating: [], count: 3)
        var changes: [Double] = [], ratios: [Double] = []
        let g = objective.gradient(at: start)
        let leading = Vector.norm(objective.hessianVectorProduct(at: start, g))
        for h in stepSizes {
            let gd = GradientDescent.step(objective, from: start, stepSize: h)
            var change = 0.0
            for order in 0...2 {
                let flow = RungeKutta4.checkedTrajectory(ModifiedGradientFlow(objective, stepSize: h, order: order),
                                                         from: start, stepLength: h, steps: 1, substeps: substeps)
                errors[order].append(Vector.distance(gd, flow.endpoint))
                change = max(change, flow.halvingChange)
            }
            changes.append(change)
            // One GD step minus the GF: (h²/2)∇²E∇E + O(h³).
            ratios.append(errors[0].last! / (h * h / 2 * leading))
        }
        try write(errors: errors, changes: changes, stepSizes: stepSizes, prefix: prefix, kind: "one GD step (time h)", into: &doc)
        let smallest = stepSizes.indices.min { stepSizes[$0] < stepSizes[$1] }!
        doc.addDataset("/curves/\(prefix)/leading_term_ratio", .double(ratios), units: "1",
                       description: "‖GD − GF‖ / ((h²/2)‖∇²E∇E‖) after one step: → 1 as h → 0 if the leading error term is (h²/2)∇²E∇E")
        doc.addScalar("/summary/\(prefix)/leading_term_ratio", ratios[smallest], units: "1",
                      description: "‖GD − GF‖ / ((h²/2)‖∇²E∇E‖) at the smallest h")
    }

    /// GD for n steps of h = T/n against the flows run to time T, for each n.
    static func global(_ objective: some DifferentiableObjective, start: [Double], time T: Double, stepCounts: [Int],
                       substeps: Int, prefix: String, into doc: inout HDF5Document) throws {
        var errors = [[Double]](repeating: [], count: 3)
        var changes: [Double] = []
        let stepSizes = stepCounts.map { T / Double($0) }
        for (n, h) in zip(stepCounts, stepSizes) {
            let gd = GradientDescent.trajectory(objective, from: start, stepSize: h, steps: n).last!
            guard gd.allSatisfy(\.isFinite) else { throw TrainingError.divergedRun("\(prefix): GD with h = \(h) gave non-finite parameters") }
            var change = 0.0
            for order in 0...2 {
                let flow = RungeKutta4.checkedTrajectory(ModifiedGradientFlow(objective, stepSize: h, order: order),
                                                         from: start, stepLength: h, steps: n, substeps: substeps)
                errors[order].append(Vector.distance(gd, flow.endpoint))
                change = max(change, flow.halvingChange)
            }
            changes.append(change)
        }
        try write(errors: errors, changes: changes, stepSizes: stepSizes, prefix: prefix, kind: "GD to time T = \(T)", into: &doc)
        doc.addDataset("/curves/\(prefix)/step_count", .int64(stepCounts.map(Int64.init)), units: "steps",
                       description: "GD steps n to time T (h = T/n)")
        let ratio = try PowerLawFit(x: stepSizes, y: zip(errors[0], errors[1]).map { $0 / $1 })
        doc.addScalar("/summary/\(prefix)/slope_ratio_gf_mf1", ratio.slope, units: "1",
                      description: "log–log slope of ‖GD − GF‖ / ‖GD − MF1‖ against h (theory −1: O(h)/O(h²))")
    }

    /// The error curves, the fitted slopes (with their range) and the reference check.
    private static func write(errors: [[Double]], changes: [Double], stepSizes: [Double], prefix: String, kind: String,
                              into doc: inout HDF5Document) throws {
        for row in errors where !row.allSatisfy({ $0.isFinite && $0 > 0 }) {
            throw TrainingError.divergedRun("\(prefix): an error against a flow is not a positive finite number (\(row))")
        }
        doc.addDataset("/curves/\(prefix)/step_size", .double(stepSizes), units: "1", description: "GD step size h (time per step)")
        for (k, flow) in flows.enumerated() {
            doc.addDataset("/curves/\(prefix)/error_\(flow)", .double(errors[k]), units: "parameter-space distance",
                           description: "‖θ_GD − θ_flow‖ after \(kind), flow: \(flowNames[k])")
            let fit = try PowerLawFit(x: stepSizes, y: errors[k])
            doc.addScalar("/summary/\(prefix)/slope_\(flow)", fit.slope, units: "1",
                          description: "least-squares log–log slope of the error against the \(flowNames[k]) over h in [\(fit.range.lowerBound), \(fit.range.upperBound)]")
            doc.addScalar("/summary/\(prefix)/intercept_\(flow)", fit.intercept, units: "log distance",
                          description: "intercept log C of the fit error ≈ C·h^slope")
        }
        doc.addScalar("/summary/\(prefix)/fit_h_min", stepSizes.min()!, units: "1", description: "smallest h of the slope fits")
        doc.addScalar("/summary/\(prefix)/fit_h_max", stepSizes.max()!, units: "1", description: "largest h of the slope fits")
        doc.addDataset("/curves/\(prefix)/reference_change", .double(changes), units: "parameter-space distance",
                       description: "largest move of any reference flow when its RK4 substep is halved (K → 2K)")
        let smallestError = errors.flatMap { $0 }.min()!
        doc.addScalar("/summary/\(prefix)/reference_change_fraction", changes.max()! / smallestError, units: "1",
                      description: "largest reference move on halving the RK4 substep divided by the smallest error measured (must be < 1e-3)")
    }
}
