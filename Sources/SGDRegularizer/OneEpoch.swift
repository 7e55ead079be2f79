import ImplicitRegCore

/// One epoch of SGD with random shuffling, averaged exactly over every order (and partition),
/// against three flows run for the epoch's time mε on the SGD time grid (RK4, K substeps per step,
/// checked against 2K):
///
/// - GF: the gradient flow of C;
/// - MF_GD: the flow of C̃_GD = C + (ε/4)‖∇C‖²;
/// - MF_SGD: the flow of C̃_SGD = C + (ε/4m) Σₖ ‖∇Ĉₖ‖² (averaged over the partitions when they are random).
enum OneEpoch {
    static let flows = ["gf", "mf_gd", "mf_sgd"]
    static let flowNames = ["gradient flow of C", "flow of C + (ε/4)‖∇C‖²", "flow of C + (ε/4m)Σₖ‖∇Ĉₖ‖²"]

    /// `partitions`: the minibatch losses of each partition (one partition: fixed composition).
    /// Every partition is equally likely and every order of its m minibatches is averaged over.
    static func run<Full: DifferentiableObjective, Batch: DifferentiableObjective>(
        full: Full, partitions: [[Batch]], start: [Double], learningRates: [Double], substeps: Int,
        prefix: String, into doc: inout HDF5Document
    ) throws {
        let m = partitions[0].count
        let orders = Enumeration.permutations(m)
        var errors = [[Double]](repeating: [], count: 3)
        var spreads: [Double] = [], changes: [Double] = []
        for ε in learningRates {
            // The exact mean over partitions × orders of the iterate after one epoch.
            var endpoints: [[Double]] = []
            for batches in partitions {
                for order in orders {
                    var θ = start
                    for k in order { θ = Vector.adding(θ, -ε, batches[k].gradient(at: θ)) }
                    guard θ.allSatisfy(\.isFinite) else { throw TrainingError.divergedRun("\(prefix): SGD with ε = \(ε) gave non-finite parameters") }
                    endpoints.append(θ)
                }
            }
            let mean = Vector.mean(endpoints)
            spreads.append((endpoints.map { Vector.distance($0, mean) * Vector.distance($0, mean) }.reduce(0, +) / Double(endpoints.count)).squareRoot())

            var change = 0.0
            func flow(_ field: some VectorField) -> [Double] {
                let t = RungeKutta4.checkedTrajectory(field, from: start, stepLength: ε, steps: m, substeps: substeps)
                change = max(change, t.halvingChange)
                return t.endpoint
            }
            let gf = flow(ModifiedGradientFlow(full, stepSize: ε, order: 0))
            let mfGD = flow(GradientPenaltyFlow(full, penalising: [full], coefficient: ε / 4))
            let mfSGD = Vector.mean(partitions.map { flow(GradientPenaltyFlow(full, penalising: $0, coefficient: ε / 4)) })
            for (k, reference) in [gf, mfGD, mfSGD].enumerated() { errors[k].append(Vector.distance(mean, reference)) }
            changes.append(change)
        }
        for row in errors where !row.allSatisfy({ $0.isFinite && $0 > 0 }) {
            throw TrainingError.divergedRun("\(prefix): an error against a flow is not a positive finite number (\(row))")
        }
        let kind = partitions.count == 1 ? "the \(orders.count) orders of a fixed partition" : "\(partitions.count) partitions × \(orders.count) orders"
        doc.addDataset("/curves/\(prefix)/learning_rate", .double(learningRates), units: "1", description: "SGD learning rate ε (time per step)")
        for (k, name) in flows.enumerated() {
            doc.addDataset("/curves/\(prefix)/error_\(name)", .double(errors[k]), units: "parameter-space distance",
                           description: "‖E[θ after one epoch] − θ_flow(mε)‖, mean exact over \(kind); flow: \(flowNames[k])")
            let fit = try PowerLawFit(x: learningRates, y: errors[k])
            doc.addScalar("/summary/\(prefix)/slope_\(name)", fit.slope, units: "1",
                          description: "log–log slope of the error against the \(flowNames[k]) over ε in [\(fit.range.lowerBound), \(fit.range.upperBound)]")
            doc.addScalar("/summary/\(prefix)/intercept_\(name)", fit.intercept, units: "log distance", description: "intercept log C of error ≈ C·ε^slope")
        }
        doc.addDataset("/curves/\(prefix)/spread", .double(spreads), units: "parameter-space distance",
                       description: "root-mean-square distance of single runs from the mean iterate (O(ε²): larger than the O(ε³) effect)")
        doc.addDataset("/curves/\(prefix)/reference_change", .double(changes), units: "parameter-space distance",
                       description: "largest move of any reference flow when its RK4 substep is halved")
        let ratios = zip(errors[2], errors[1]).map { $0 / $1 }
        doc.addDataset("/curves/\(prefix)/ratio_sgd_gd", .double(ratios), units: "1", description: "‖mean − MF_SGD‖ / ‖mean − MF_GD‖")
        let small = zip(learningRates, ratios).filter { $0.0 <= 0.01 + 1e-15 }.map(\.1)
        doc.addScalar("/summary/\(prefix)/ratio_sgd_gd_max_small_lr", small.max() ?? .nan, units: "1",
                      description: "largest ‖mean − MF_SGD‖ / ‖mean − MF_GD‖ over ε ≤ 0.01")
        doc.addScalar("/summary/\(prefix)/reference_change_fraction", changes.max()! / errors.flatMap { $0 }.min()!, units: "1",
                      description: "largest reference move on halving the RK4 substep / smallest error measured (must be < 1e-3)")
        doc.addScalar("/summary/\(prefix)/orderings_averaged", Double(partitions.count * orders.count), units: "runs",
                      description: "equally likely (partition, order) pairs averaged exactly")
    }
}
