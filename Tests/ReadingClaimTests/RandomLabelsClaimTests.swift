import Foundation
import ImplicitRegCore
import TestSupport
import Testing

/// The first real experiment end to end: `random-labels run --profile quick`, then its claims.
/// Serialized: the runs are CPU-bound and the machine has two cores.
@Suite("random-labels executable", .serialized)
struct RandomLabelsClaimTests {
    @Test func quickProfileReproducesItsClaims() throws {
        let quick = try QuickProfileRun("random-labels", tag: "rl")
        let out = quick.out, summary = quick.summary
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(summary.datasets["/curves/fashion-mnist-mlp-1x512-random-labels-seed0/train_accuracy"] != nil)
        #expect(summary.datasets["/summary/fashion-mnist/mlp-1x512/corruption/levels"]?.values == .double([0, 0.5, 1]))
        // The size sweep has its own summary and stays out of the main grid's (N = 2,000) groups.
        #expect(summary.datasets["/summary/size-sweep/random-labels/train_sizes"]?.values == .double([500, 1000, 2000]))
        #expect(summary.scalar("/summary/size-sweep/random-labels/runs_not_fitted") == 0)
        #expect(summary.groupAttributes["/curves/fashion-mnist-mlp-1x512-random-labels-n500-seed0"]?["train_size"] == .int(500))
        #expect(summary.groupAttributes["/curves/fashion-mnist-mlp-1x512-random-labels-seed0"]?["size_sweep"] == .int(0))

        // The corrupted run records the labels it trained on: about 0.9p of them differ from the true ones.
        let points = try FileManager.default.contentsOfDirectory(atPath: "\(out)/points").filter { $0.hasSuffix(".h5") }
        let corrupted = try points.map { try HDF5Document.read(from: "\(out)/points/\($0)") }.first {
            $0.groupAttributes["/meta"]?["point_label"] == .string("fashion-mnist-mlp-1x512-corrupted-0.5-seed0")
        }
        let changed = corrupted?.datasets["/labels/changed"]?.values
        #expect(changed?.count == 2000)
        if case let .int32(flags)? = changed {
            let fraction = Double(flags.reduce(0, +)) / Double(flags.count)
            // 0.9 · 0.5 = 0.45, binomial sd 0.011 at N = 2,000: ±5 sd.
            #expect(abs(fraction - 0.45) < 0.056, "changed fraction \(fraction)")
            #expect(corrupted?.scalar("/summary/labels_changed") == Double(flags.reduce(0, +)))
        }
    }

    /// An outside checker needs only the point file: the quick profile's two Theorem 1 points,
    /// and f(x_i) − y_i recomputed from the stored x_i, y_i and weights a, b, w, without the
    /// reading's code.
    @Test func theoremPointIsRecheckableFromTheFileAlone() throws {
        let scratch = try Scratch("rl-recheck")
        let out = "\(scratch.path)/out"
        let run = try ExecutableRunner.run("random-labels", ["run", "--profile", "quick", "--out", out, "--quiet",
                                                             "--points", "theorem-1-n200-d20-seed0,theorem-1-n1000-d20-seed0"])
        try #require(run.status == 0, "\(run.stderr)")
        let points = PointFiles(out)
        let point = try points.document("theorem-1-n1000-d20-seed0")
        #expect(point.shape("/theorem/points") == [1000, 20])
        // x_i are float32 draws (stored exactly as float32), the construction runs in float64.
        let x = try point.floats("/theorem/points"), y = try point.doubles("/theorem/targets")
        let a = try point.doubles("/theorem/direction"), b = try point.doubles("/theorem/thresholds"), w = try point.doubles("/theorem/weights")
        #expect(y.count == 1000 && b.count == 1000 && w.count == 1000 && a.count == 20)
        // f(x) = Σ_j w_j max(⟨a, x⟩ − b_j, 0), summed in index order as the run did, so the residuals
        // are the stored ones bit for bit (another order moves them by up to ~1e-9 here: the sums
        // cancel); stored x_i, y_i or weights that are not the ones used miss by O(1).
        let residuals = (0..<y.count).map { i in
            var z = 0.0
            for k in 0..<a.count { z += x[i * a.count + k] * a[k] }
            var f = 0.0
            for j in b.indices { f += w[j] * max(z - b[j], 0) }
            return f - y[i]
        }
        #expect(residuals.map(\.bitPattern) == (try point.doubles("/theorem/residuals")).map(\.bitPattern))
        let largest = residuals.map(abs).max()
        #expect(largest == point.scalar("/summary/max_abs_residual") && (largest ?? .infinity) < 1e-9,
                "max |f(x_i) − y_i| recomputed \(String(describing: largest)), stored \(String(describing: point.scalar("/summary/max_abs_residual")))")

        // The n = 200 construction of the same seed and d shares the first 200 points, targets and a.
        let small = try points.document("theorem-1-n200-d20-seed0")
        #expect(try small.floats("/theorem/points") == Array(x.prefix(200 * 20)))
        #expect(try small.doubles("/theorem/targets") == Array(y.prefix(200)))
        #expect(try small.doubles("/theorem/direction") == a)
        #expect(small.groupAttributes["/theorem"]?["shares_draws_with"] == .string("theorem-1-n1000-d20-seed0 (x_i, y_i and a, first 200)"))
    }

    /// A small override config, to keep the determinism runs short.
    static let tiny = #"{"conditions": ["random-labels"], "corruption": {"levels": []}, "regularization": {"models": []}, "theorem": {"sizes": []}, "size_sweep": null, "train_size": 300, "test_size": 200, "training": {"epochs": 3, "stop_at_train_accuracy": null}}"#

    @Test func sameSeedGivesIdenticalDatasetsOtherSeedDoesNot() throws {
        let a = try ReadingChecks.expectSameResults("random-labels", config: Self.tiny, seed: 4, tag: "rl")
        let c = try ReadingChecks.summary("random-labels", config: Self.tiny, seed: 5, tag: "rl")
        let curve = "/curves/fashion-mnist-mlp-1x512-random-labels-seed4/train_loss"
        #expect(a.datasets[curve] != nil)
        #expect(a.datasets[curve] != c.datasets["/curves/fashion-mnist-mlp-1x512-random-labels-seed5/train_loss"])
    }

    @Test func badConfigAndDivergenceFailClearlyAndKeepFinishedResults() throws {
        let finished = try FinishedResults("random-labels", tag: "rl", config: Self.tiny)
        defer { finished.remove() }
        try finished.expectRefused(#"{"training": {"learning_rate": -0.01}}"#, naming: "training.learning_rate")
        try finished.expectRefused(
            #"{"conditions": ["random-labels"], "corruption": {"levels": []}, "regularization": {"models": []}, "theorem": {"sizes": []}, "size_sweep": null, "train_size": 300, "training": {"batch_size": 301}}"#,
            naming: "training.batch_size")
        // The experiment fields are validated too, naming the field.
        for (text, field) in [(#"{"corruption": {"levels": [1.5]}}"#, "corruption.levels[0]"),
                              (#"{"regularization": {"dropout_rate": 1}}"#, "regularization.dropout_rate"),
                              (#"{"corruption": {"models": ["mlp-9x9"]}}"#, "mlp-9x9"),
                              (#"{"theorem": {"theta": 0}}"#, "theorem.theta"),
                              (#"{"size_sweep": {"train_sizes": [2000, 1000]}}"#, "size_sweep.train_sizes"),
                              (#"{"size_sweep": {"train_sizes": [70000]}}"#, "size_sweep.train_sizes[0]"),
                              (#"{"size_sweep": {"model": "mlp-9x9"}}"#, "size_sweep.model"),
                              (#"{"size_sweep": {"conditions": ["gaussian"]}}"#, "size_sweep.conditions"),
                              (#"{"extra_runs": [{"model": {"name": "cnn", "kind": "cnn", "hidden": [8], "filters": [4, 4], "activation": "relu"}, "datasets": ["fashion-mnist"], "seeds": [0], "conditions": ["true-labels"], "corruption_levels": [1]}]}"#,
                               "extra_runs[0].corruption_levels[0]")] {
            try finished.expectRefused(text, naming: field)
        }
        try finished.expectDiverges(
            #"{"conditions": ["random-labels"], "corruption": {"levels": []}, "regularization": {"models": []}, "theorem": {"sizes": []}, "size_sweep": null, "train_size": 300, "test_size": 200, "training": {"epochs": 3, "learning_rate": 1e8}}"#)
    }
}
