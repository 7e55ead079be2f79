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
    }

    @Test func sameSeedGivesIdenticalDatasetsOtherSeedChangesTheMonteCarlo() throws {
        let dir = try ExecutableRunner.temporaryDirectory("sgd-det")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = "\(dir)/small.json"
        try #"{"experiments": ["many-epochs", "one-epoch-fixed"], "many_epochs": {"runs": 2000}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        for (name, seed) in [("a", "4"), ("b", "4"), ("c", "5")] {
            let r = try ExecutableRunner.run(Self.reading, ["run", "--config", config, "--seed", seed, "--out", "\(dir)/\(name)", "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let a = try HDF5Document.read(from: "\(dir)/a/summary.h5")
        let b = try HDF5Document.read(from: "\(dir)/b/summary.h5")
        let c = try HDF5Document.read(from: "\(dir)/c/summary.h5")
        #expect(!a.datasets.isEmpty)
        #expect(a.datasets == b.datasets)
        let path = "/curves/many-epochs/error_mf_sgd"
        #expect(a.datasets[path] != nil)
        #expect(a.datasets[path] != c.datasets[path])
        // The exact average does not depend on the seed.
        #expect(a.datasets["/curves/one-epoch-fixed/error_mf_sgd"] == c.datasets["/curves/one-epoch-fixed/error_mf_sgd"])
    }

    @Test func badConfigFailsClearlyAndKeepsFinishedResults() throws {
        let dir = try ExecutableRunner.temporaryDirectory("sgd-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let small = "\(dir)/small.json"
        try #"{"experiments": ["one-epoch-fixed"]}"#.write(toFile: small, atomically: true, encoding: .utf8)
        let good = try ExecutableRunner.run(Self.reading, ["run", "--config", small, "--out", dir, "--quiet"])
        #expect(good.status == 0, "\(good.stderr)")
        let before = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/summary.h5"))

        let badBatch = "\(dir)/batch.json"
        try #"{"one_epoch": {"batch_size": 4}}"#.write(toFile: badBatch, atomically: true, encoding: .utf8)
        let bad = try ExecutableRunner.run(Self.reading, ["run", "--config", badBatch, "--out", dir, "--quiet"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("one_epoch.batch_size"))

        let epochs = "\(dir)/epochs.json"
        try #"{"many_epochs": {"learning_rates": [0.02, 0.007]}}"#.write(toFile: epochs, atomically: true, encoding: .utf8)
        let frac = try ExecutableRunner.run(Self.reading, ["run", "--config", epochs, "--out", dir, "--quiet"])
        #expect(frac.status != 0)
        #expect(frac.stderr.contains("many_epochs.learning_rates") && frac.stderr.contains("whole number of epochs"))

        let diverging = "\(dir)/diverge.json"
        try #"{"experiments": ["one-epoch-fixed"], "one_epoch": {"learning_rates": [100.0, 50.0]}}"#
            .write(toFile: diverging, atomically: true, encoding: .utf8)
        // Its own directory: another config into `dir` is refused before it runs (ResultsDirectoryConfig).
        let nan = try ExecutableRunner.run(Self.reading, ["run", "--config", diverging, "--out", "\(dir)/diverging", "--quiet"])
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: "\(dir)/diverging/points")) ?? []).filter { $0.hasSuffix(".h5") }.isEmpty,
                "a diverged point must not leave a point file")
        let refused = try ExecutableRunner.run(Self.reading, ["run", "--config", diverging, "--out", dir, "--quiet"])
        #expect(refused.status != 0 && refused.stderr.contains("another config"), "\(refused.stderr)")
        #expect(nan.status != 0)
        #expect(nan.stderr.contains("diverged"))

        let after = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/summary.h5"))
        #expect(before == after, "a failed run changed the finished summary.h5")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp") }
        #expect(leftovers.isEmpty)
    }
}
