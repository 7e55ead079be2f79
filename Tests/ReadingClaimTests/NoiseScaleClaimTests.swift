import Foundation
import ImplicitRegCore
import TestSupport
import Testing

/// `noise-scale run --profile quick`, then its claims: the evidence of logistic regression and
/// the batch-size sweeps (B_opt against ε and against momentum).
/// Serialized: the runs are CPU-bound and the machine has two cores.
@Suite("noise-scale executable", .serialized)
struct NoiseScaleClaimTests {
    @Test func quickProfileReproducesItsClaims() throws {
        let quick = try QuickProfileRun("noise-scale", tag: "ns")
        let out = quick.out, summary = quick.summary
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(summary.datasets["/curves/evidence-random-n500-seed0/evidence_ratio"] != nil)
        // Every training run records its noise scale g = εN/(B(1 − m)) and its number of updates.
        let point = try FileManager.default.contentsOfDirectory(atPath: "\(out)/points").sorted().map { try HDF5Document.read(from: "\(out)/points/\($0)") }
            .first { $0.scalar("/summary/batch_size") != nil }
        let p = try #require(point)
        let (eps, n, b, m) = (p.scalar("/summary/learning_rate")!, p.scalar("/summary/train_size")!,
                              p.scalar("/summary/batch_size")!, p.scalar("/summary/momentum")!)
        #expect(abs(p.scalar("/summary/noise_scale")! - eps * n / (b * (1 - m))) < 1e-9)
        #expect(p.scalar("/summary/updates")! == 30 * (n / b).rounded(.up))

        // The claims' controls and seed statistics, recomputed from the point files: the largest
        // training loss of the runs that locate B_opt (grid maximum and neighbours), and the
        // seed-paired gain of the peak over its left neighbour, per seed averaged over the curves.
        var runs: [(label: String, seed: UInt64, b: Double, acc: Double, loss: Double)] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: "\(out)/points") {
            let d = try HDF5Document.read(from: "\(out)/points/\(file)")
            guard case let .string(label)? = d.groupAttributes["/meta"]?["point_label"], label.hasPrefix("learning-rate-") else { continue }
            let loss = d.scalar("/summary/train_loss")!, diverged = d.scalar("/summary/diverged")! != 0
            runs.append((label, UInt64(label.split(separator: "-").last!.dropFirst("seed".count))!, d.scalar("/summary/batch_size")!,
                         d.scalar("/summary/test_accuracy")!, diverged || !loss.isFinite ? .infinity : loss))
        }
        let seeds = Set(runs.map(\.seed)).sorted()
        var fitLossMax = -Double.infinity, leftGain = [UInt64: Double](uniqueKeysWithValues: seeds.map { ($0, 0.0) })
        let curves = ["lr0.1-m0.9-n1000-wd0", "lr0.4-m0.9-n1000-wd0"]  // the quick profile's ε curves
        for curve in curves {
            let g = "/summary/learning-rate/\(curve)"
            guard case let .double(bs)? = summary.datasets["\(g)/batch_size"]?.values, let bGrid = summary.scalar("\(g)/b_opt_grid"),
                  let i = bs.firstIndex(of: bGrid) else { Issue.record("no curve \(g)"); continue }
            let members = runs.filter { $0.label.hasPrefix("learning-rate-\(curve)-b") }
            let fit = Set(bs[max(0, i - 1)...min(bs.count - 1, i + 1)])
            let fitLoss = members.filter { fit.contains($0.b) }.map(\.loss).max()!
            #expect(summary.scalar("\(g)/fit_train_loss_max") == fitLoss)
            fitLossMax = max(fitLossMax, fitLoss)
            for seed in seeds {
                let peak = try #require(members.first(where: { $0.b == bGrid && $0.seed == seed }))
                let left = i > 0 ? members.first(where: { $0.b == bs[i - 1] && $0.seed == seed }) : nil
                leftGain[seed]! += (left.map { peak.acc - $0.acc } ?? .nan) / Double(curves.count)
            }
        }
        #expect(summary.scalar("/summary/learning-rate/fit_train_loss_max") == fitLossMax)
        guard case let .double(values)? = summary.datasets["/summary/learning-rate/peak_gain_left/values"]?.values else {
            Issue.record("no /summary/learning-rate/peak_gain_left"); return
        }
        let expected = seeds.map { leftGain[$0]! }
        #expect(values.count == expected.count && zip(values, expected).allSatisfy { $0.isNaN ? $1.isNaN : abs($0 - $1) < 1e-12 }, "\(values) vs \(expected)")
    }

    /// A small override config: one evidence sweep on a short λ grid and a three-point batch sweep.
    static let tiny = """
        {"evidence": {"train_sizes": [200], "lambda_count": 3, "labelings": ["informative"]},
         "sweeps": [{"name": "learning-rate", "varies": "learning-rate", "dataset": "mnist-5k", "hidden": [32], "epochs": 2,
                     "learning_rates": [0.1, 0.2], "momenta": [0.9], "train_sizes": [200], "weight_decays": [0],
                     "batch_sizes": [16, 32, 64], "g_min": 0, "g_max": 1000, "seeds": [0]}]}
        """

    @Test func sameSeedGivesIdenticalDatasetsOtherSeedDoesNot() throws {
        let a = try ReadingChecks.expectSameResults("noise-scale", config: Self.tiny, seed: 4, tag: "ns")
        let c = try ReadingChecks.summary("noise-scale", config: Self.tiny, seed: 5, tag: "ns")
        let curve = "/summary/learning-rate/lr0.1-m0.9-n200-wd0/test_accuracy_mean"
        #expect(a.datasets[curve] != nil)
        #expect(a.datasets["/curves/evidence-informative-n200-seed4/evidence_ratio"] != c.datasets["/curves/evidence-informative-n200-seed5/evidence_ratio"])
    }

    @Test func badConfigFailsClearlyAndADivergingRunCountsAsChance() throws {
        let finished = try FinishedResults("noise-scale", tag: "ns", config: Self.tiny)
        defer { finished.remove() }
        try finished.expectRefused(
            #"{"sweeps": [{"name": "x", "varies": "momentum", "dataset": "mnist-5k", "hidden": [8], "epochs": 1, "learning_rates": [0.1], "momenta": [0.9, 1.0], "train_sizes": [100], "weight_decays": [0], "batch_sizes": [8, 16], "g_min": 0, "g_max": 10, "seeds": [0]}]}"#,
            naming: "sweeps[0].momenta")

        // Unlike the other readings, a diverging training run is a result here (chance accuracy).
        let diverging = Self.tiny.replacingOccurrences(of: "[0.1, 0.2]", with: "[1e30, 2e30]")
            .replacingOccurrences(of: "\"g_max\": 1000", with: "\"g_max\": 1e36")  // configs stop at 1e36 (ConfigLimits)
        let summary = try ReadingChecks.summary("noise-scale", config: diverging, seed: 0, tag: "ns-div")
        guard case let .double(diverged)? = summary.datasets["/summary/learning-rate/lr1e+30-m0.9-n200-wd0/diverged"]?.values,
              case let .double(acc)? = summary.datasets["/summary/learning-rate/lr1e+30-m0.9-n200-wd0/test_accuracy_mean"]?.values
        else {
            Issue.record("no diverged/test_accuracy_mean datasets: \(summary.datasets.keys.filter { $0.contains("learning-rate/lr") }.sorted())")
            return
        }
        #expect(diverged.allSatisfy { $0 == 1 })
        #expect(acc.allSatisfy { $0 == 0.1 })
    }
}
