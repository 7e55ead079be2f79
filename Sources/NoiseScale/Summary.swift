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
///
/// Besides the seed means it stores what the claims' controls and seed statistics need: per curve
/// the largest final training loss among the runs that decide B_opt (the grid maximum and its
/// neighbours, which the parabola passes through) and at the largest B, and the seed-paired gains
/// of the peak over its neighbours and over the largest B; across curves the largest of those losses
/// and, per seed, the gains averaged over the curves (seeds are shared across the curves of a sweep:
/// the same seed draws the same training set and initial weights at every B).
enum SweepSummary {
    static func factor(_ p: TrainingPoint, _ varies: SweepFactor) -> Double {
        switch varies {
        case .learningRate: p.learningRate
        case .momentum: 1 / (1 - p.momentum)
        case .trainSize: Double(p.trainSize)
        case .weightDecay: p.weightDecay
        }
    }

    /// A final training loss for a maximum: a diverged run counts as +∞.
    static func finalLoss(_ r: RunResult) -> Double { r.diverged || !r.trainLoss.isFinite ? .infinity : r.trainLoss }

    /// Test accuracy per seed of the runs at one B.
    typealias BySeed = [UInt64: Double]

    /// Per seed (present in both), `a` − `b`; an empty map when either is nil.
    static func paired(_ a: BySeed?, _ b: BySeed?) -> BySeed {
        guard let a, let b else { return [:] }
        var out: BySeed = [:]
        for (seed, x) in a { if let y = b[seed] { out[seed] = x - y } }
        return out
    }

    /// The values of a per-seed map in seed order, as a seed statistic.
    static func statistic(_ m: BySeed) -> SeedStatistic { SeedStatistic(m.keys.sorted().map { m[$0]! }) }

    /// Per seed, the mean over curves of one per-curve gain; NaN for a seed that lacks the gain in
    /// some curve (a peak at that edge of the grid, or the seed not run there).
    static func meanOverCurves(_ perCurve: [BySeed], seeds: [UInt64]) -> BySeed {
        var out: BySeed = [:]
        for seed in seeds {
            let values = perCurve.map { $0[seed] ?? .nan }
            out[seed] = values.reduce(0, +) / Double(values.count)
        }
        return out
    }

    static func add(_ runs: [(TrainingPoint, RunResult)], sweep: SweepConfig, to doc: inout HDF5Document) {
        guard !runs.isEmpty else { return }
        let root = "/summary/\(sweep.name)"
        var curves: [String] = []
        for (p, _) in runs where !curves.contains(p.curve) { curves.append(p.curve) }
        let seeds = Array(Set(runs.map { $0.0.seed })).sorted()
        var xs: [Double] = [], bOpt: [Double] = [], interior: [Double] = [], gOpt: [Double] = []
        var gainLarge: [Double] = [], gainSmall: [Double] = [], gaps: [Double] = [], gapSE: [Double] = []
        var divergedLargest = 0.0, fitLossMax = -Double.infinity, largestLossMax = -Double.infinity
        var leftGains: [BySeed] = [], rightGains: [BySeed] = [], largestGains: [BySeed] = []
        var smallest: [BySeed] = [], largest: [BySeed] = []
        for c in curves {
            let members = runs.filter { $0.0.curve == c }
            let p0 = members[0].0
            let bs = Array(Set(members.map { $0.0.batchSize })).sorted()
            var acc: [Double] = [], sd: [Double] = [], loss: [Double] = [], lossMax: [Double] = [], div: [Double] = []
            var gs: [Double] = [], ups: [Double] = [], n: [Double] = [], bySeed: [BySeed] = []
            for b in bs {
                let at = members.filter { $0.0.batchSize == b }
                let (m, s) = meanAndSD(at.map { $0.1.testAccuracy })
                acc.append(m); sd.append(s); n.append(Double(at.count))
                let finite = at.map { $0.1.trainLoss }.filter { $0.isFinite }
                loss.append(finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count))
                lossMax.append(at.map { finalLoss($0.1) }.max()!)
                div.append(Double(at.filter { $0.1.diverged }.count))
                gs.append(at[0].0.noiseScale)
                ups.append(Double(at[0].0.updates))
                bySeed.append(Dictionary(at.map { ($0.0.seed, $0.1.testAccuracy) }, uniquingKeysWith: { a, _ in a }))
            }
            let peak = ParabolicPeak(x: bs.map(Double.init), y: acc)
            let i = peak.index
            let fit = max(0, i - 1)...min(bs.count - 1, i + 1)
            let fitLoss = fit.map { lossMax[$0] }.max()!
            let left = paired(bySeed[i], i > 0 ? bySeed[i - 1] : nil)
            let right = paired(bySeed[i], i < bs.count - 1 ? bySeed[i + 1] : nil)
            let overLargest = paired(bySeed[i], i < bs.count - 1 ? bySeed[bs.count - 1] : nil)
            let g = "\(root)/\(c)"
            doc.addDataset("\(g)/batch_size", .double(bs.map(Double.init)), units: "examples", description: "minibatch sizes B of the curve")
            doc.addDataset("\(g)/test_accuracy_mean", .double(acc), units: "fraction", description: "test accuracy, mean over seeds (diverged runs count as chance)")
            doc.addDataset("\(g)/test_accuracy_sd", .double(sd), units: "fraction", description: "test accuracy, sample sd over seeds")
            doc.addDataset("\(g)/train_loss_mean", .double(loss), units: "nats per example", description: "final training loss, mean over the seeds that did not diverge")
            doc.addDataset("\(g)/train_loss_max", .double(lossMax), units: "nats per example", description: "final training loss, largest over seeds (+∞ if a seed diverged)")
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
            doc.addScalar("\(g)/b_opt_grid", Double(bs[i]), units: "examples", description: "grid B with the best seed-mean test accuracy")
            doc.addScalar("\(g)/interior", peak.interior ? 1 : 0, units: "1", description: "1 if the grid maximum has a grid point on each side")
            doc.addScalar("\(g)/noise_scale_at_b_opt", gStar, units: "1", description: "g = εN/(B_opt(1 − m))")
            doc.addScalar("\(g)/test_accuracy_best", acc[i], units: "fraction", description: "seed-mean test accuracy at the grid maximum")
            doc.addScalar("\(g)/test_accuracy_largest_b", acc.last!, units: "fraction", description: "seed-mean test accuracy at the largest B")
            doc.addScalar("\(g)/test_accuracy_smallest_b", acc.first!, units: "fraction", description: "seed-mean test accuracy at the smallest B of the curve")
            doc.addScalar("\(g)/gain_over_largest_b", acc[i] - acc.last!, units: "fraction", description: "acc(B_opt) − acc(largest B)")
            doc.addScalar("\(g)/gain_over_smallest_b", acc[i] - acc.first!, units: "fraction", description: "acc(B_opt) − acc(smallest B)")
            doc.addScalar("\(g)/fit_train_loss_max", fitLoss, units: "nats per example",
                          description: "largest final training loss over the seeds at the grid maximum and its neighbours, the runs that locate B_opt (+∞ if one diverged)")
            doc.addScalar("\(g)/largest_b_train_loss_max", lossMax.last!, units: "nats per example",
                          description: "largest final training loss over the seeds at the largest B (+∞ if one diverged)")
            if sweep.varies != .weightDecay {
                for (name, gain, what) in [("peak_gain_left", left, "its left neighbour"), ("peak_gain_right", right, "its right neighbour"),
                                           ("peak_gain_largest_b", overLargest, "the largest B")] where !gain.isEmpty {
                    doc.addSeedStatistic("\(g)/\(name)", statistic(gain), units: "fraction",
                                         description: "per seed, test accuracy at the grid maximum minus at \(what) (absent when the maximum is at that edge)")
                }
            }
            xs.append(factor(p0, sweep.varies)); bOpt.append(bStar); interior.append(peak.interior ? 1 : 0); gOpt.append(gStar)
            gainLarge.append(acc[i] - acc.last!); gainSmall.append(acc[i] - acc.first!)
            divergedLargest += div.last!
            fitLossMax = max(fitLossMax, fitLoss); largestLossMax = max(largestLossMax, lossMax.last!)
            leftGains.append(left); rightGains.append(right); largestGains.append(overLargest)
            smallest.append(bySeed.first!); largest.append(bySeed.last!)
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
        doc.addScalar("\(root)/fit_train_loss_max", fitLossMax, units: "nats per example",
                      description: "largest final training loss over every curve's runs at its grid maximum and the neighbours (the runs that locate B_opt; +∞ if one diverged)")
        doc.addScalar("\(root)/largest_b_train_loss_max", largestLossMax, units: "nats per example",
                      description: "largest final training loss over every curve's runs at its largest B (+∞ if one diverged)")
        if sweep.varies != .weightDecay {
            doc.addSeedStatistic("\(root)/peak_gain_left", statistic(meanOverCurves(leftGains, seeds: seeds)), units: "fraction",
                                 description: "per seed, test accuracy at each curve's grid maximum minus at its left neighbour, mean over curves")
            doc.addSeedStatistic("\(root)/peak_gain_right", statistic(meanOverCurves(rightGains, seeds: seeds)), units: "fraction",
                                 description: "per seed, test accuracy at each curve's grid maximum minus at its right neighbour, mean over curves")
            doc.addSeedStatistic("\(root)/peak_gain_largest_b", statistic(meanOverCurves(largestGains, seeds: seeds)), units: "fraction",
                                 description: "per seed, test accuracy at each curve's grid maximum minus at its largest B, mean over curves")
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
            // Seed-paired forms of the same comparisons (the first curve has the smallest weight
            // decay, the last the largest), and where a change of the gap comes from.
            let gapNone = paired(smallest.first!, largest.first!), gapMost = paired(smallest.last!, largest.last!)
            doc.addSeedStatistic("\(root)/gap_unregularised", statistic(gapNone), units: "fraction",
                                 description: "per seed, acc(smallest B) − acc(largest B) at the smallest weight decay")
            doc.addSeedStatistic("\(root)/gap_change_paired", statistic(paired(gapMost, gapNone)), units: "fraction",
                                 description: "per seed, the gap at the largest weight decay minus the gap at the smallest (negative: the gap closes)")
            doc.addSeedStatistic("\(root)/small_batch_change", statistic(paired(smallest.last!, smallest.first!)), units: "fraction",
                                 description: "per seed, test accuracy at the smallest B with the largest weight decay minus with the smallest")
            doc.addSeedStatistic("\(root)/large_batch_change", statistic(paired(largest.last!, largest.first!)), units: "fraction",
                                 description: "per seed, test accuracy at the largest B with the largest weight decay minus with the smallest")
        }
    }
}
