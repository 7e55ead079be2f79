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

    /// A small override config, to keep the determinism runs short.
    private func tinyConfig(in dir: String) throws -> String {
        let path = "\(dir)/tiny.json"
        try #"{"conditions": ["random-labels"], "corruption": {"levels": []}, "regularization": {"models": []}, "theorem": {"sizes": []}, "train_size": 300, "test_size": 200, "training": {"epochs": 3, "stop_at_train_accuracy": null}}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func sameSeedGivesIdenticalDatasetsOtherSeedDoesNot() throws {
        let dir = try ExecutableRunner.temporaryDirectory("rl-det")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = try tinyConfig(in: dir)
        for (name, seed) in [("a", "4"), ("b", "4"), ("c", "5")] {
            let r = try ExecutableRunner.run("random-labels", ["run", "--config", config, "--seed", seed, "--out", "\(dir)/\(name)", "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let a = try HDF5Document.read(from: "\(dir)/a/summary.h5")
        let b = try HDF5Document.read(from: "\(dir)/b/summary.h5")
        let c = try HDF5Document.read(from: "\(dir)/c/summary.h5")
        #expect(!a.datasets.isEmpty)
        #expect(a.datasets == b.datasets)
        let curve = "/curves/fashion-mnist-mlp-1x512-random-labels-seed4/train_loss"
        #expect(a.datasets[curve] != nil)
        #expect(a.datasets[curve] != c.datasets["/curves/fashion-mnist-mlp-1x512-random-labels-seed5/train_loss"])
    }

    @Test func badConfigAndDivergenceFailClearlyAndKeepFinishedResults() throws {
        let dir = try ExecutableRunner.temporaryDirectory("rl-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = try tinyConfig(in: dir)
        let good = try ExecutableRunner.run("random-labels", ["run", "--config", config, "--out", dir, "--quiet"])
        #expect(good.status == 0, "\(good.stderr)")
        let before = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/summary.h5"))

        let negative = "\(dir)/negative.json"
        try #"{"training": {"learning_rate": -0.01}}"#.write(toFile: negative, atomically: true, encoding: .utf8)
        let bad = try ExecutableRunner.run("random-labels", ["run", "--config", negative, "--out", dir, "--quiet"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("training.learning_rate"))

        let tooBig = "\(dir)/batch.json"
        try #"{"conditions": ["random-labels"], "corruption": {"levels": []}, "regularization": {"models": []}, "theorem": {"sizes": []}, "train_size": 300, "training": {"batch_size": 301}}"#.write(toFile: tooBig, atomically: true, encoding: .utf8)
        let big = try ExecutableRunner.run("random-labels", ["run", "--config", tooBig, "--out", dir, "--quiet"])
        #expect(big.status != 0)
        #expect(big.stderr.contains("training.batch_size"))

        // The new experiment fields are validated too, naming the field.
        for (text, field) in [(#"{"corruption": {"levels": [1.5]}}"#, "corruption.levels[0]"),
                              (#"{"regularization": {"dropout_rate": 1}}"#, "regularization.dropout_rate"),
                              (#"{"corruption": {"models": ["mlp-9x9"]}}"#, "mlp-9x9"),
                              (#"{"theorem": {"theta": 0}}"#, "theorem.theta")] {
            let path = "\(dir)/field.json"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let r = try ExecutableRunner.run("random-labels", ["run", "--config", path, "--out", dir, "--quiet"])
            #expect(r.status != 0)
            #expect(r.stderr.contains(field), "\(text): \(r.stderr)")
        }

        let diverging = "\(dir)/diverge.json"
        try #"{"conditions": ["random-labels"], "corruption": {"levels": []}, "regularization": {"models": []}, "theorem": {"sizes": []}, "train_size": 300, "test_size": 200, "training": {"epochs": 3, "learning_rate": 1e8}}"#
            .write(toFile: diverging, atomically: true, encoding: .utf8)
        // Its own directory: another config into `dir` is refused before it runs (ResultsDirectoryConfig).
        let nan = try ExecutableRunner.run("random-labels", ["run", "--config", diverging, "--out", "\(dir)/diverging", "--quiet"])
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: "\(dir)/diverging/points")) ?? []).filter { $0.hasSuffix(".h5") }.isEmpty,
                "a diverged point must not leave a point file")
        let refused = try ExecutableRunner.run("random-labels", ["run", "--config", diverging, "--out", dir, "--quiet"])
        #expect(refused.status != 0 && refused.stderr.contains("another config"), "\(refused.stderr)")
        #expect(nan.status != 0)
        #expect(nan.stderr.contains("diverged"))

        let after = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/summary.h5"))
        #expect(before == after, "a failed run changed the finished summary.h5")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp") }
        #expect(leftovers.isEmpty)
    }
}
