import Foundation
import ImplicitRegCore
import TestSupport
import Testing

/// `sgd-regularizer run --profile quick`, then its claims (all exact float64 numerics or Monte Carlo
/// with a reported standard error, so the quick profile checks every claim), determinism, and clear
/// errors on bad input.
@Suite("sgd-regularizer executable", .serialized)
struct SGDRegularizerClaimTests {
    static let reading = "sgd-regularizer"

    @Test func quickProfileReproducesItsClaims() throws {
        let quick = try QuickProfileRun(Self.reading, tag: "sgd")
        let out = quick.out, summary = quick.summary
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(quick.verification.claims.claims.count >= 4)
        // The exact one-epoch errors at ε = 0.01 (random partition) against the calibration
        // (independent NumPy float64 code, adaptive 8th-order reference): 3.07e-4, 4.67e-5, 4.49e-6.
        guard case let .double(ε)? = summary.datasets["/curves/one-epoch-random/learning_rate"]?.values,
              let i = ε.firstIndex(of: 0.01) else { Issue.record("ε = 0.01 missing"); return }
        for (flow, reference) in [("gf", 3.07e-4), ("mf_gd", 4.67e-5), ("mf_sgd", 4.49e-6)] {
            guard case let .double(e)? = summary.datasets["/curves/one-epoch-random/error_\(flow)"]?.values else {
                Issue.record("error_\(flow) missing"); continue
            }
            // The calibration printed three digits: agreement to half a unit of the last one (≤ 0.17 %).
            #expect(abs(e[i] / reference - 1) < 2e-3, "\(flow): \(e[i]) vs \(reference)")
        }
        // B = 1 against the calibration's slopes 1.90 / 1.94 / 2.91 (two printed digits: half a unit of the last).
        for (flow, reference) in [("gf", 1.90), ("mf_gd", 1.94), ("mf_sgd", 2.91)] {
            let slope = summary.scalar("/summary/one-epoch-b1/slope_\(flow)") ?? .nan
            #expect(abs(slope - reference) <= 0.005, "B = 1, \(flow): slope \(slope) vs calibration \(reference)")
        }
        #expect(summary.scalar("/summary/one-epoch-b1/orderings_averaged") == 720)
        try Self.expectMatchedFitRecomputes(out: out, summary: summary)
    }

    /// The matched-fit statistics of the summary, recomputed from the point files: for each seed, GD's test
    /// accuracy at the first evaluation on its curve whose training accuracy reaches SGD's final one.
    static func expectMatchedFitRecomputes(out: String, summary: HDF5Document) throws {
        let points = try FileManager.default.contentsOfDirectory(atPath: "\(out)/points").filter { $0.hasSuffix(".h5") }.sorted()
            .map { try HDF5Document.read(from: "\(out)/points/\($0)") }
        func run(_ prefix: String) -> [(seed: String, doc: HDF5Document, name: String)] {
            points.flatMap { d in
                Set(d.datasets.keys.compactMap { key -> String? in
                    let parts = key.split(separator: "/")
                    guard parts.count >= 2, parts[0] == "summary", parts[1].hasPrefix(prefix) else { return nil }
                    return String(parts[1])
                }).map { (String($0.split(separator: "seed").last!), d, $0) }
            }
        }
        let sgd = Dictionary(uniqueKeysWithValues: run("sgd-noisy-seed").map { ($0.seed, $0) })
        let gd = Dictionary(uniqueKeysWithValues: run("gd-noisy-seed").map { ($0.seed, $0) })
        try #require(!sgd.isEmpty && sgd.count == gd.count, "one SGD and one GD point per seed: \(sgd.keys) vs \(gd.keys)")
        var expected: [Double] = [], expectedEqualTime: [Double] = []
        for seed in sgd.keys.sorted(by: { UInt64($0)! < UInt64($1)! }) {
            let s = sgd[seed]!, g = gd[seed]!
            let target = try #require(s.doc.scalar("/summary/\(s.name)/train_accuracy"))
            let sgdTest = try #require(s.doc.scalar("/summary/\(s.name)/test_accuracy"))
            guard case let .double(train)? = g.doc.datasets["/curves/\(g.name)/train_accuracy"]?.values,
                  case let .double(test)? = g.doc.datasets["/curves/\(g.name)/test_accuracy"]?.values else {
                Issue.record("GD's training curve is missing in \(g.name)"); return
            }
            // The curve ends at the run's final state: its last point is the final training accuracy.
            #expect(train.last == g.doc.scalar("/summary/\(g.name)/train_accuracy"))
            let i = try #require(train.firstIndex { $0 >= target }, "GD never reaches SGD's training accuracy \(target)")
            expected.append(sgdTest - test[i])
            expectedEqualTime.append(sgdTest - (g.doc.scalar("/summary/\(g.name)/test_accuracy") ?? .nan))
        }
        let root = "/summary/explicit-regularizer/noisy/by-seed"
        let matched = try #require(summary.seedStatistic("\(root)/sgd_minus_gd_matched_fit_test_accuracy"))
        #expect(matched.values == expected, "matched fit: summary \(matched.values) vs recomputed \(expected)")
        #expect(summary.seedStatistic("\(root)/sgd_minus_gd_test_accuracy")?.values == expectedEqualTime)
    }

    /// A tiny noisy ε × B grid: the best ε per B (parabola in ln ε on seed means) and the slope of ln ε_best on
    /// ln B, recomputed from the point files.
    @Test func learningRateGridBestRateRecomputes() throws {
        let config = #"{"experiments": ["lr-grid"], "lr_grid": {"train_size": 200, "test_size": 200, "hidden": [8], "label_noise": 0.2, "learning_rate_over_batch": [0.01, 0.02, 0.04, 0.08], "batch_sizes": [10, 20, 200], "full_batch_learning_rates": [0.4], "time": 8.0, "slope_max_batch_size": 20, "seeds": [0, 1, 2]}}"#
        let dir = try ExecutableRunner.temporaryDirectory("sgd-grid")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try config.write(toFile: "\(dir)/config.json", atomically: true, encoding: .utf8)
        let r = try ExecutableRunner.run(Self.reading, ["run", "--config", "\(dir)/config.json", "--seed", "3", "--out", "\(dir)/out", "--quiet"])
        try #require(r.status == 0, "the grid failed: \(r.stderr)")
        let summary = try HDF5Document.read(from: "\(dir)/out/summary.h5")
        let points = try FileManager.default.contentsOfDirectory(atPath: "\(dir)/out/points").filter { $0.hasSuffix(".h5") }
            .map { try HDF5Document.read(from: "\(dir)/out/points/\($0)") }
        var accuracy: [String: [Double]] = [:]  // "b<B>-lr<ε>" → one value per seed
        for d in points {
            for key in d.datasets.keys where key.hasSuffix("/test_accuracy") && key.hasPrefix("/summary/grid-") {
                let name = key.split(separator: "/")[1]
                let cell = String(name.dropFirst("grid-".count).split(separator: "-seed")[0])
                accuracy[cell, default: []].append(d.scalar(key)!)
            }
        }
        let batches = [10, 20]
        var best: [Double] = []
        for b in batches {
            let rates = [0.01, 0.02, 0.04, 0.08].map { $0 * Double(b) }
            let means = rates.map { ε -> Double in
                let xs = accuracy[String(format: "b%d-lr%g", b, ε)] ?? []
                #expect(xs.count == 3, "B = \(b), ε = \(ε): \(xs.count) seeds")
                return xs.reduce(0, +) / Double(xs.count)
            }
            best.append(ParabolicPeak(x: rates, y: means).location)
        }
        guard case let .double(fromSummary)? = summary.datasets["/curves/lr-grid/best_learning_rate_parabolic"]?.values else {
            Issue.record("best_learning_rate_parabolic missing"); return
        }
        #expect(fromSummary.count == 2)
        for (a, b) in zip(fromSummary, best) { #expect(abs(a - b) <= 1e-12 * b, "best ε: summary \(fromSummary) vs recomputed \(best)") }
        let slope = LinearFit(x: batches.map { log(Double($0)) }, y: best.map { log($0) }).slope
        let reported = summary.scalar("/summary/lr-grid/best_lr_slope") ?? .nan
        #expect(abs(reported - slope) <= 1e-9, "slope: summary \(reported) vs recomputed \(slope)")
        let se = summary.scalar("/summary/lr-grid/best_lr_slope_se") ?? .nan
        #expect(se.isFinite && se >= 0, "bootstrap SE of the slope: \(se)")
        #expect(summary.scalar("/summary/lr-grid/best_lr_censored_count") != nil)
    }

    @Test func sameSeedGivesIdenticalDatasetsOtherSeedChangesTheMonteCarlo() throws {
        let config = #"{"experiments": ["many-epochs", "one-epoch-fixed"], "many_epochs": {"runs": 2000}}"#
        let a = try ReadingChecks.expectSameResults(Self.reading, config: config, seed: 4, tag: "sgd")
        let c = try ReadingChecks.summary(Self.reading, config: config, seed: 5, tag: "sgd")
        let path = "/curves/many-epochs/error_mf_sgd"
        #expect(a.datasets[path] != nil)
        #expect(a.datasets[path] != c.datasets[path])
        // The exact average does not depend on the seed.
        #expect(a.datasets["/curves/one-epoch-fixed/error_mf_sgd"] == c.datasets["/curves/one-epoch-fixed/error_mf_sgd"])
    }

    @Test func badConfigFailsClearlyAndKeepsFinishedResults() throws {
        let finished = try FinishedResults(Self.reading, tag: "sgd", config: #"{"experiments": ["one-epoch-fixed"]}"#)
        defer { finished.remove() }
        try finished.expectRefused(#"{"one_epoch": {"batch_size": 4}}"#, naming: "one_epoch.batch_size")
        try finished.expectRefused(#"{"many_epochs": {"learning_rates": [0.02, 0.007]}}"#,
                                   naming: "many_epochs.learning_rates", "whole number of epochs")
        try finished.expectDiverges(#"{"experiments": ["one-epoch-fixed"], "one_epoch": {"learning_rates": [100.0, 50.0]}}"#)
    }
}
