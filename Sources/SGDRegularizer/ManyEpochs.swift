import ImplicitRegCore

/// Many epochs of SGD on the product model to a fixed time T, the order of the (fixed) minibatches
/// reshuffled every epoch, averaged by Monte Carlo over P runs, against GF, MF_GD and MF_SGD run to T.
/// Per epoch the mean iterate is O(ε³) from MF_SGD, so at fixed T the error is O(ε²) (O(ε) for GF, MF_GD).
enum ManyEpochs {
    static func run(_ model: ProductModel, start: [Double], partition: [[Int]], setup: ManyEpochsSetup,
                    streams: RandomStreams, into doc: inout HDF5Document) throws {
        let batches = partition.map { model.subset($0) }
        let m = batches.count
        // Ĉₖ = (1/B) Σ ½(yᵢ − a b xᵢ)²: ∇Ĉₖ = (a b ⟨x²⟩ₖ − ⟨xy⟩ₖ)(b, a).
        let sxx = batches.map { b in b.x.map { $0 * $0 }.reduce(0, +) / Double(b.x.count) }
        let sxy = batches.map { b in zip(b.x, b.y).map { $0 * $1 }.reduce(0, +) / Double(b.x.count) }
        let orders = Enumeration.permutations(m)
        let flows = ["gf", "mf_gd", "mf_sgd"]
        var errors = [[Double]](repeating: [], count: 3)
        var standardErrors: [Double] = [], spreads: [Double] = [], changes: [Double] = [], epochCounts: [Int64] = []
        for ε in setup.learningRates {
            let epochs = Int((setup.time / (Double(m) * ε)).rounded())
            var rng = streams.stream("many-epochs-order-\(ε)")
            var sum = [0.0, 0.0], sumSquares = [0.0, 0.0]
            for _ in 0..<setup.runs {
                var a = start[0], b = start[1]
                for _ in 0..<epochs {
                    for k in orders[rng.nextInt(below: orders.count)] {
                        let s = a * b * sxx[k] - sxy[k]
                        (a, b) = (a - ε * s * b, b - ε * s * a)
                    }
                }
                guard a.isFinite && b.isFinite else { throw TrainingError.divergedRun("many-epochs: SGD with ε = \(ε) gave non-finite parameters") }
                sum[0] += a; sum[1] += b
                sumSquares[0] += a * a; sumSquares[1] += b * b
            }
            let p = Double(setup.runs)
            let mean = sum.map { $0 / p }
            let variance = (0..<2).map { max(0, sumSquares[$0] / p - mean[$0] * mean[$0]) * p / (p - 1) }
            spreads.append(variance.reduce(0, +).squareRoot())
            standardErrors.append((variance.reduce(0, +) / p).squareRoot())
            var change = 0.0
            func flow(_ field: some VectorField) -> [Double] {
                let t = RungeKutta4.checkedTrajectory(field, from: start, stepLength: ε, steps: m * epochs, substeps: setup.substeps)
                change = max(change, t.halvingChange)
                return t.endpoint
            }
            let references = [flow(ModifiedGradientFlow(model, stepSize: ε, order: 0)),
                              flow(GradientPenaltyFlow(model, penalising: [model], coefficient: ε / 4)),
                              flow(GradientPenaltyFlow(model, penalising: batches, coefficient: ε / 4))]
            for (k, r) in references.enumerated() { errors[k].append(Vector.distance(mean, r)) }
            changes.append(change)
            epochCounts.append(Int64(epochs))
        }
        let names = ["gradient flow of C", "flow of C + (ε/4)‖∇C‖²", "flow of C + (ε/4m)Σₖ‖∇Ĉₖ‖²"]
        doc.addDataset("/curves/many-epochs/learning_rate", .double(setup.learningRates), units: "1", description: "SGD learning rate ε")
        doc.addDataset("/curves/many-epochs/epochs", .int64(epochCounts), units: "epochs", description: "epochs to time T = \(setup.time)")
        for (k, name) in flows.enumerated() {
            doc.addDataset("/curves/many-epochs/error_\(name)", .double(errors[k]), units: "parameter-space distance",
                           description: "‖Monte Carlo mean of θ(T) − θ_flow(T)‖ over \(setup.runs) runs; flow: \(names[k])")
            let fit = try PowerLawFit(x: setup.learningRates, y: errors[k])
            doc.addScalar("/summary/many-epochs/slope_\(name)", fit.slope, units: "1",
                          description: "log–log slope of the error against the \(names[k]) over ε in [\(fit.range.lowerBound), \(fit.range.upperBound)]")
            doc.addScalar("/summary/many-epochs/intercept_\(name)", fit.intercept, units: "log distance", description: "intercept of the fit")
        }
        doc.addDataset("/curves/many-epochs/standard_error", .double(standardErrors), units: "parameter-space distance",
                       description: "Monte Carlo standard error of the mean iterate (norm of the per-coordinate standard errors)")
        doc.addDataset("/curves/many-epochs/spread", .double(spreads), units: "parameter-space distance",
                       description: "standard deviation of a single run's θ(T) (norm over coordinates)")
        doc.addDataset("/curves/many-epochs/reference_change", .double(changes), units: "parameter-space distance",
                       description: "largest move of any reference flow when its RK4 substep is halved")
        doc.addScalar("/summary/many-epochs/standard_error_fraction", zip(standardErrors, errors[2]).map { $0 / $1 }.max()!, units: "1",
                      description: "largest Monte Carlo standard error / error against MF_SGD at the same ε (must be ≤ 0.1)")
        doc.addScalar("/summary/many-epochs/reference_change_fraction", changes.max()! / errors.flatMap { $0 }.min()!, units: "1",
                      description: "largest reference move on halving the RK4 substep / smallest error measured")
        doc.addScalar("/summary/many-epochs/runs", Double(setup.runs), units: "runs", description: "Monte Carlo runs P per learning rate")
    }
}
