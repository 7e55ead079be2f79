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
    static let tiny = #"{"conditions": ["random-labels"], "corruption": {"levels": []}, "regularization": {"models": []}, "theorem": {"sizes": []}, "train_size": 300, "test_size": 200, "training": {"epochs": 3, "stop_at_train_accuracy": null}}"#

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
            #"{"conditions": ["random-labels"], "corruption": {"levels": []}, "regularization": {"models": []}, "theorem": {"sizes": []}, "train_size": 300, "training": {"batch_size": 301}}"#,
            naming: "training.batch_size")
        // The experiment fields are validated too, naming the field.
        for (text, field) in [(#"{"corruption": {"levels": [1.5]}}"#, "corruption.levels[0]"),
                              (#"{"regularization": {"dropout_rate": 1}}"#, "regularization.dropout_rate"),
                              (#"{"corruption": {"models": ["mlp-9x9"]}}"#, "mlp-9x9"),
                              (#"{"theorem": {"theta": 0}}"#, "theorem.theta")] {
            try finished.expectRefused(text, naming: field)
        }
        try finished.expectDiverges(
            #"{"conditions": ["random-labels"], "corruption": {"levels": []}, "regularization": {"models": []}, "theorem": {"sizes": []}, "train_size": 300, "test_size": 200, "training": {"epochs": 3, "learning_rate": 1e8}}"#)
    }
}
