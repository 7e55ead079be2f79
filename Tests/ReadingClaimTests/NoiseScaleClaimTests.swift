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
        let point = try FileManager.default.contentsOfDirectory(atPath: "\(out)/points").filter { $0.hasSuffix(".h5") }.sorted().map { try HDF5Document.read(from: "\(out)/points/\($0)") }
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
        for file in try FileManager.default.contentsOfDirectory(atPath: "\(out)/points") where file.hasSuffix(".h5") {
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
                     "batch_sizes": [16, 32, 64], "g_min": 0, "g_max": 1000, "seeds": [0],
                     "converged_train_loss": 0.05}]}
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
            #"{"sweeps": [{"name": "x", "varies": "momentum", "dataset": "mnist-5k", "hidden": [8], "epochs": 1, "learning_rates": [0.1], "momenta": [0.9, 1.0], "train_sizes": [100], "weight_decays": [0], "batch_sizes": [8, 16], "g_min": 0, "g_max": 10, "seeds": [0], "converged_train_loss": 0.05}]}"#,
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

    /// A small N sweep with evaluations along each run and a minimum number of updates.
    static let nSweep = """
        {"evidence": {"train_sizes": [200], "lambda_count": 3, "labelings": ["informative"], "seeds": [0]},
         "sweeps": [{"name": "train-size", "varies": "train-size", "dataset": "mnist-5k", "hidden": [16], "epochs": 2,
                     "learning_rates": [0.05], "momenta": [0.9], "train_sizes": [200, 800], "weight_decays": [0],
                     "batch_sizes": [8, 16, 32, 64], "g_min": 0, "g_max": 1000, "seeds": [0, 1],
                     "min_updates": 20, "min_updates_per_example": 0.1, "evaluations": 4, "converged_train_loss": 1.2}]}
        """

    // B_opt among converged runs, its censoring, the slope and the collapse R², recomputed here from
    // the point files alone and compared with what merge wrote.
    @Test func convergedOptimumAndCollapseMatchARecomputationFromThePoints() throws {
        let dir = try Scratch("ns-converged")
        let out = "\(dir.path)/out"
        let run = try ExecutableRunner.run("noise-scale", ["run", "--config", try dir.write("c.json", Self.nSweep), "--out", out, "--quiet"])
        try #require(run.status == 0, "\(run.stderr)")
        let summary = try HDF5Document.read(from: "\(out)/summary.h5")
        struct Run { var n: Int; var b: Int; var seed: UInt64; var acc: Double; var loss: Double; var diverged: Bool; var change: Double }
        var runs: [Run] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: "\(out)/points") where file.hasSuffix(".h5") {
            let d = try HDF5Document.read(from: "\(out)/points/\(file)")
            guard let b = d.scalar("/summary/batch_size") else { continue }
            let n = Int(d.scalar("/summary/train_size")!)
            // The update budget: at least max(20, 0.1·N) updates, in whole epochs of ⌈N/B⌉, at least 2 epochs.
            let perEpoch = (Double(n) / b).rounded(.up), epochs = d.scalar("/summary/epochs")!
            #expect(epochs == max(2, (max(20, 0.1 * Double(n)) / perEpoch).rounded(.up)))
            #expect(d.scalar("/summary/updates")! == epochs * perEpoch)
            guard case let .double(e)? = d.datasets["/curves/epoch"]?.values, case let .double(acc)? = d.datasets["/curves/test_accuracy"]?.values else {
                Issue.record("\(file): no evaluation curves"); continue
            }
            #expect(e.count == min(4, Int(epochs)) && e.last == epochs)
            // Plateau measure: mean accuracy over the evaluations in the last fifth minus the fifth before.
            let late = e.indices.filter { $0 > 0 && e[$0] > 0.8 * epochs }, before = e.indices.filter { e[$0] > 0.6 * epochs && e[$0] <= 0.8 * epochs }
            let mean = { (i: [Int]) in i.map { acc[$0] }.reduce(0, +) / Double(i.count) }
            let expected = (late.isEmpty ? acc.last! : mean(late)) - (before.isEmpty ? acc[acc.count - 2] : mean(before))
            let change = d.scalar("/summary/test_accuracy_change_last_fifth")!
            #expect(abs(change - expected) < 1e-12, "\(file): \(change) vs \(expected)")
            guard case let .int(seed)? = d.groupAttributes["/meta"]?["seed"] else { Issue.record("\(file): no /meta seed"); continue }
            runs.append(Run(n: n, b: Int(b), seed: UInt64(bitPattern: seed),
                            acc: d.scalar("/summary/test_accuracy")!, loss: d.scalar("/summary/train_loss")!,
                            diverged: d.scalar("/summary/diverged")! != 0, change: change))
        }
        #expect(runs.count == 16)
        var cells: [(g: Double, h: Double, n: Int, acc: Double)] = []
        for n in [200, 800] {
            let bs = [8, 16, 32, 64]
            let converged = bs.map { b in runs.filter { $0.n == n && $0.b == b }.allSatisfy { !$0.diverged && $0.loss <= 1.2 } }
            let means = bs.map { b in runs.filter { $0.n == n && $0.b == b }.map(\.acc).reduce(0, +) / 2 }
            let usable = bs.indices.filter { converged[$0] }
            let g = "/summary/train-size/converged/lr0.05-m0.9-n\(n)-wd0"
            if usable.isEmpty {
                #expect(summary.scalar("\(g)/censored") == 1)
            } else {
                let peak = ParabolicPeak(x: usable.map { Double(bs[$0]) }, y: usable.map { means[$0] })
                let i = usable[peak.index]
                let censored = !peak.interior || i == 0 || i == 3 || !converged[i - 1] || !converged[i + 1]
                #expect(summary.scalar("\(g)/b_opt") == peak.location)
                #expect(summary.scalar("\(g)/censored") == (censored ? 1 : 0))
            }
            for i in usable { cells.append((0.05 * Double(n) / (Double(bs[i]) * 0.1), 0.05 / (Double(bs[i]) * 0.1), n, means[i])) }
        }
        // Collapse: accuracy relative to its N's mean, parabola in ln g and in ln ε/(B(1 − m)).
        let offsets = Dictionary(grouping: cells, by: \.n).mapValues { c in c.map(\.acc).reduce(0, +) / Double(c.count) }
        let relative = cells.map { $0.acc - offsets[$0.n]! }
        let r2g = QuadraticFit(x: cells.map { log($0.g) }, y: relative).rSquared
        let r2h = QuadraticFit(x: cells.map { log($0.h) }, y: relative).rSquared
        #expect(summary.scalar("/summary/train-size/collapse/cells") == Double(cells.count))
        let storedG = summary.scalar("/summary/train-size/collapse/r2_noise_scale")!, storedH = summary.scalar("/summary/train-size/collapse/r2_step_over_batch")!
        #expect(storedG.isNaN ? r2g.isNaN : abs(storedG - r2g) < 1e-12, "\(storedG) vs \(r2g)")
        #expect(storedH.isNaN ? r2h.isNaN : abs(storedH - r2h) < 1e-12, "\(storedH) vs \(r2h)")
    }

    // A long profile runs over several sittings: the finished part merges alone, and says so.
    @Test func partialMergeSummarisesTheFinishedPointsAndVerifySaysSo() throws {
        let dir = try Scratch("ns-partial")
        let out = "\(dir.path)/out", config = try dir.write("c.json", Self.nSweep)
        let plan = try ExecutableRunner.run("noise-scale", ["plan", "--config", config, "--out", out])
        let ids = plan.stdout.split(separator: "\n").compactMap { line -> String? in
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            return f.count > 2 && f[2].hasPrefix("train-size-") ? String(f[1]) : nil
        }.prefix(3)
        try #require(ids.count == 3, "\(plan.stdout)")
        let run = try ExecutableRunner.run("noise-scale", ["run", "--config", config, "--out", out, "--points", ids.joined(separator: ","), "--quiet"])
        #expect(run.status == 0 && !FileManager.default.fileExists(atPath: "\(out)/summary.h5"), "\(run.stderr)")
        let whole = try ExecutableRunner.run("noise-scale", ["merge", "--config", config, "--out", out])
        #expect(whole.status != 0 && whole.stderr.contains("missing"), "\(whole.stderr)")
        let partial = try ExecutableRunner.run("noise-scale", ["merge", "--config", config, "--out", out, "--partial"])
        #expect(partial.status == 0, "\(partial.stderr)")
        let summary = try HDF5Document.read(from: "\(out)/summary.h5")
        let meta = summary.groupAttributes["/meta"] ?? [:]
        #expect(meta["points_done"] == .int(3) && meta["points_total"] == .int(17), "\(meta["points_done"].map { "\($0)" } ?? "none")")
        let verify = try ExecutableRunner.run("noise-scale", ["verify", "--results", out])
        #expect(verify.stdout.contains("partial results: 3 of 17 points"), "\(verify.stdout.suffix(600))")
        let refused = try ExecutableRunner.run("random-labels", ["merge", "--out", "\(dir.path)/rl", "--partial"])
        #expect(refused.status != 0 && refused.stderr.contains("cannot summarise part of its grid"), "\(refused.stderr)")
    }
}
