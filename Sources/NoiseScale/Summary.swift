import Foundation
import ImplicitRegCore
import ReadingSupport

/// Mean and sample standard deviation.
func meanAndSD(_ xs: [Double]) -> (mean: Double, sd: Double) {
    guard !xs.isEmpty else { return (.nan, .nan) }
    let m = xs.reduce(0, +) / Double(xs.count)
    guard xs.count > 1 else { return (m, 0) }
    let v = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)
    return (m, v.squareRoot())
}

/// The evidence experiment's summary: seed-mean curves per training size and labelling, and the
/// scalars of claims S1–S3.
enum EvidenceSummary {
    static func curve(_ doc: HDF5Document, _ name: String, point: EvidencePoint) throws -> [Double] {
        guard case let .double(v)? = doc.datasets["/curves/\(name)"]?.values else {
            throw PointFileError.missingCurve(point: point.name, path: "/curves/\(name)")
        }
        return v
    }

    static func add(_ points: [(EvidencePoint, HDF5Document)], config: EvidenceConfig, to doc: inout HDF5Document) throws {
        guard !points.isEmpty else { return }
        let lambdas = config.lambdas
        var randomRatioMax = -Double.infinity, informativePeakMin = Double.infinity, offsetMax = 0.0
        for n in config.trainSizes {
            for labeling in config.labelings {
                let runs = points.filter { $0.0.trainSize == n && $0.0.labeling == labeling }
                guard !runs.isEmpty else { continue }
                let g = "/summary/evidence/n\(n)/\(labeling.rawValue)"
                var ratios: [[Double]] = [], testCE: [[Double]] = [], testAcc: [[Double]] = [], trainAcc: [[Double]] = []
                for (p, d) in runs {
                    ratios.append(try curve(d, "evidence_ratio", point: p))
                    testCE.append(try curve(d, "test_cross_entropy", point: p))
                    testAcc.append(try curve(d, "test_accuracy", point: p))
                    trainAcc.append(try curve(d, "train_accuracy", point: p))
                }
                let k = lambdas.count
                func mean(_ rows: [[Double]]) -> [Double] { (0..<k).map { j in rows.map { $0[j] }.reduce(0, +) / Double(rows.count) } }
                let ratioMean = mean(ratios), ceMean = mean(testCE), accMean = mean(testAcc), trainMean = mean(trainAcc)
                let iRatio = ratioMean.indices.max { ratioMean[$0] < ratioMean[$1] }!
                let iCE = ceMean.indices.min { ceMean[$0] < ceMean[$1] }!
                let offset = abs(log10(lambdas[iRatio]) - log10(lambdas[iCE]))
                let perSeedPeak = ratios.map { $0.max()! }
                let last = k - 1
                doc.addDataset("\(g)/lambda", .double(lambdas), units: "1", description: "λ of the summed cost (prior precision)")
                doc.addDataset("\(g)/evidence_ratio_mean", .double(ratioMean), units: "nats per example",
                               description: "(ln P − ln P₀)/N, mean over seeds")
                doc.addDataset("\(g)/test_cross_entropy_mean", .double(ceMean), units: "nats per example", description: "test cross-entropy, mean over seeds")
                doc.addDataset("\(g)/test_accuracy_mean", .double(accMean), units: "fraction", description: "test accuracy, mean over seeds")
                doc.addDataset("\(g)/train_accuracy_mean", .double(trainMean), units: "fraction", description: "training accuracy, mean over seeds")
                doc.addScalar("\(g)/seeds", Double(runs.count), units: "runs", description: "seeds averaged")
                doc.addScalar("\(g)/ratio_max", ratios.flatMap { $0 }.max()!, units: "nats per example",
                              description: "largest evidence ratio over every λ and seed")
                doc.addScalar("\(g)/ratio_peak_min", perSeedPeak.min()!, units: "nats per example",
                              description: "smallest over seeds of the seed's largest evidence ratio")
                doc.addScalar("\(g)/lambda_at_evidence_peak", lambdas[iRatio], units: "1", description: "λ maximising the seed-mean evidence ratio")
                doc.addScalar("\(g)/lambda_at_min_test_cross_entropy", lambdas[iCE], units: "1",
                              description: "λ minimising the seed-mean test cross-entropy")
                doc.addScalar("\(g)/peak_offset_decades", offset, units: "decades",
                              description: "|log10 λ(evidence peak) − log10 λ(min test cross-entropy)| on the seed-mean curves")
                doc.addScalar("\(g)/test_accuracy_at_evidence_peak", accMean[iRatio], units: "fraction", description: "seed-mean test accuracy at the evidence peak")
                doc.addScalar("\(g)/test_accuracy_best", accMean.max()!, units: "fraction", description: "best seed-mean test accuracy over λ")
                doc.addScalar("\(g)/train_accuracy_at_lambda_min", trainAcc.map { $0[last] }.min()!, units: "fraction",
                              description: "training accuracy at the smallest λ, lowest over seeds")
                doc.addScalar("\(g)/test_accuracy_at_lambda_min_min", testAcc.map { $0[last] }.min()!, units: "fraction",
                              description: "test accuracy at the smallest λ, lowest over seeds")
                doc.addScalar("\(g)/test_accuracy_at_lambda_min_max", testAcc.map { $0[last] }.max()!, units: "fraction",
                              description: "test accuracy at the smallest λ, highest over seeds")
                let increasing = zip(ratioMean, ratioMean.dropFirst()).allSatisfy { $0 >= $1 - 1e-9 }  // λ decreases along the grid
                doc.addScalar("\(g)/ratio_increasing_in_lambda", increasing ? 1 : 0, units: "1",
                              description: "1 if the seed-mean evidence ratio never decreases as λ grows")
                switch labeling {
                case .random: randomRatioMax = max(randomRatioMax, ratios.flatMap { $0 }.max()!)
                case .informative:
                    informativePeakMin = min(informativePeakMin, perSeedPeak.min()!)
                    offsetMax = max(offsetMax, offset)
                }
            }
        }
        if config.labelings.contains(.random) {
            doc.addScalar("/summary/evidence/random/ratio_max", randomRatioMax, units: "nats per example",
                          description: "random labels: largest evidence ratio (ln P − ln P₀)/N over every N, seed and λ")
        }
        if config.labelings.contains(.informative) {
            doc.addScalar("/summary/evidence/informative/ratio_peak_min", informativePeakMin, units: "nats per example",
                          description: "informative labels: smallest over N and seeds of the largest evidence ratio over λ")
            doc.addScalar("/summary/evidence/informative/peak_offset_decades_max", offsetMax, units: "decades",
                          description: "informative labels: largest over N of |log10 λ(evidence peak) − log10 λ(min test CE)|")
        }
    }
}

/// A batch-size sweep's summary: per curve the seed-mean test accuracy against B and its B_opt;
/// across curves the scaling of B_opt with the factor the sweep varies.
enum SweepSummary {
    static func factor(_ p: TrainingPoint, _ varies: SweepFactor) -> Double {
        switch varies {
        case .learningRate: p.learningRate
        case .momentum: 1 / (1 - p.momentum)
        case .trainSize: Double(p.trainSize)
        case .weightDecay: p.weightDecay
        }
    }

    static func add(_ runs: [(TrainingPoint, RunResult)], sweep: SweepConfig, to doc: inout HDF5Document) {
        guard !runs.isEmpty else { return }
        let root = "/summary/\(sweep.name)"
        var curves: [String] = []
        for (p, _) in runs where !curves.contains(p.curve) { curves.append(p.curve) }
        var xs: [Double] = [], bOpt: [Double] = [], interior: [Double] = [], gOpt: [Double] = []
        var gainLarge: [Double] = [], gainSmall: [Double] = [], gaps: [Double] = [], gapSE: [Double] = []
        var divergedLargest = 0.0
        for c in curves {
            let members = runs.filter { $0.0.curve == c }
            let p0 = members[0].0
            let bs = Array(Set(members.map { $0.0.batchSize })).sorted()
            var acc: [Double] = [], sd: [Double] = [], loss: [Double] = [], div: [Double] = [], gs: [Double] = [], ups: [Double] = []
            var n: [Double] = []
            for b in bs {
                let at = members.filter { $0.0.batchSize == b }
                let (m, s) = meanAndSD(at.map { $0.1.testAccuracy })
                acc.append(m); sd.append(s); n.append(Double(at.count))
                let finite = at.map { $0.1.trainLoss }.filter { $0.isFinite }
                loss.append(finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count))
                div.append(Double(at.filter { $0.1.diverged }.count))
                gs.append(at[0].0.noiseScale)
                ups.append(Double(at[0].0.updates))
            }
            let peak = ParabolicPeak(x: bs.map(Double.init), y: acc)
            let g = "\(root)/\(c)"
            doc.addDataset("\(g)/batch_size", .double(bs.map(Double.init)), units: "examples", description: "minibatch sizes B of the curve")
            doc.addDataset("\(g)/test_accuracy_mean", .double(acc), units: "fraction", description: "test accuracy, mean over seeds (diverged runs count as chance)")
            doc.addDataset("\(g)/test_accuracy_sd", .double(sd), units: "fraction", description: "test accuracy, sample sd over seeds")
            doc.addDataset("\(g)/train_loss_mean", .double(loss), units: "nats per example", description: "final training loss, mean over the seeds that did not diverge")
            doc.addDataset("\(g)/diverged", .double(div), units: "runs", description: "seeds whose run diverged (NaN/∞)")
            doc.addDataset("\(g)/seeds", .double(n), units: "runs", description: "seeds per batch size")
            doc.addDataset("\(g)/noise_scale", .double(gs), units: "1", description: "g = εN/(B(1 − m))")
            doc.addDataset("\(g)/updates", .double(ups), units: "steps", description: "parameter updates E·⌈N/B⌉")
            doc.setAttribute("learning_rate", .double(p0.learningRate), on: g)
            doc.setAttribute("momentum", .double(p0.momentum), on: g)
            doc.setAttribute("train_size", .int(Int64(p0.trainSize)), on: g)
            doc.setAttribute("weight_decay", .double(p0.weightDecay), on: g)
            let bStar = peak.location
            let gStar = p0.learningRate * Double(p0.trainSize) / (bStar * (1 - p0.momentum))
            doc.addScalar("\(g)/b_opt", bStar, units: "examples", description: "B maximising seed-mean test accuracy (parabola in ln B through the grid maximum and its neighbours)")
            doc.addScalar("\(g)/b_opt_grid", Double(bs[peak.index]), units: "examples", description: "grid B with the best seed-mean test accuracy")
            doc.addScalar("\(g)/interior", peak.interior ? 1 : 0, units: "1", description: "1 if the grid maximum has a grid point on each side")
            doc.addScalar("\(g)/noise_scale_at_b_opt", gStar, units: "1", description: "g = εN/(B_opt(1 − m))")
            doc.addScalar("\(g)/test_accuracy_best", acc[peak.index], units: "fraction", description: "seed-mean test accuracy at the grid maximum")
            doc.addScalar("\(g)/test_accuracy_largest_b", acc.last!, units: "fraction", description: "seed-mean test accuracy at the largest B")
            doc.addScalar("\(g)/test_accuracy_smallest_b", acc.first!, units: "fraction", description: "seed-mean test accuracy at the smallest B of the curve")
            doc.addScalar("\(g)/gain_over_largest_b", acc[peak.index] - acc.last!, units: "fraction", description: "acc(B_opt) − acc(largest B)")
            doc.addScalar("\(g)/gain_over_smallest_b", acc[peak.index] - acc.first!, units: "fraction", description: "acc(B_opt) − acc(smallest B)")
            xs.append(factor(p0, sweep.varies)); bOpt.append(bStar); interior.append(peak.interior ? 1 : 0); gOpt.append(gStar)
            gainLarge.append(acc[peak.index] - acc.last!); gainSmall.append(acc[peak.index] - acc.first!)
            divergedLargest += div.last!
            gaps.append(acc.first! - acc.last!)
            gapSE.append((sd.first! * sd.first! / n.first! + sd.last! * sd.last! / n.last!).squareRoot())
        }
        let factorName: String = switch sweep.varies {
        case .learningRate: "learning rate ε"
        case .momentum: "1/(1 − m)"
        case .trainSize: "training examples N"
        case .weightDecay: "weight decay (batch-mean loss)"
        }
        doc.addDataset("\(root)/factor", .double(xs), units: "1", description: "per curve: \(factorName)")
        doc.addDataset("\(root)/b_opt", .double(bOpt), units: "examples", description: "per curve: B_opt (parabola in ln B)")
        doc.addDataset("\(root)/interior", .double(interior), units: "1", description: "per curve: 1 if the peak is interior to the B grid")
        doc.addDataset("\(root)/noise_scale_at_b_opt", .double(gOpt), units: "1", description: "per curve: g = εN/(B_opt(1 − m))")
        doc.addScalar("\(root)/gain_over_largest_b_min", gainLarge.min()!, units: "fraction", description: "smallest over curves of acc(B_opt) − acc(largest B)")
        doc.addScalar("\(root)/gain_over_smallest_b_min", gainSmall.min()!, units: "fraction", description: "smallest over curves of acc(B_opt) − acc(smallest B)")
        doc.addScalar("\(root)/interior_fraction", interior.reduce(0, +) / Double(interior.count), units: "fraction",
                      description: "fraction of curves whose best B has a grid point on each side")
        doc.addScalar("\(root)/diverged_at_largest_b", divergedLargest, units: "runs", description: "runs at the largest B that diverged (must be 0: a large-B loss is not divergence)")
        if sweep.varies != .weightDecay {
            let fit = LinearFit(x: xs.map { log($0) }, y: bOpt.map { log($0) })
            doc.addScalar("\(root)/slope", fit.slope, units: "1", description: "least-squares slope of ln B_opt against ln(\(factorName))")
            doc.addScalar("\(root)/intercept", fit.intercept, units: "1", description: "intercept of that fit")
            let inner = xs.indices.filter { interior[$0] == 1 }
            let fitInner = LinearFit(x: inner.map { log(xs[$0]) }, y: inner.map { log(bOpt[$0]) })
            doc.addScalar("\(root)/slope_interior", fitInner.slope, units: "1", description: "the slope over the curves with an interior peak only (NaN if fewer than two)")
            let increasing = zip(bOpt, bOpt.dropFirst()).allSatisfy { $0 < $1 }
            doc.addScalar("\(root)/b_opt_increasing", increasing ? 1 : 0, units: "1", description: "1 if B_opt strictly increases along the factor")
            doc.addScalar("\(root)/b_opt_ratio_last_first", bOpt.last! / bOpt.first!, units: "1", description: "B_opt at the largest factor / at the smallest")
        } else {
            doc.addDataset("\(root)/gap", .double(gaps), units: "fraction", description: "per curve: acc(smallest B) − acc(largest B)")
            doc.addDataset("\(root)/gap_standard_error", .double(gapSE), units: "fraction", description: "per curve: standard error of the gap from the seed spread")
            doc.addScalar("\(root)/gap_without_regularisation", gaps.first!, units: "fraction",
                          description: "acc(smallest B) − acc(largest B) at the smallest weight decay of the sweep")
            doc.addScalar("\(root)/gap_with_regularisation", gaps.last!, units: "fraction",
                          description: "acc(smallest B) − acc(largest B) at the largest weight decay of the sweep")
            doc.addScalar("\(root)/gap_change", gaps.last! - gaps.first!, units: "fraction",
                          description: "gap at the largest weight decay minus gap without (negative: regularisation closes the gap)")
            doc.addScalar("\(root)/gap_change_standard_error", (gapSE.last! * gapSE.last! + gapSE.first! * gapSE.first!).squareRoot(),
                          units: "fraction", description: "standard error of gap_change from the seed spread")
        }
    }
}
