import Foundation
import ImplicitRegCore
import TestSupport
import Testing

/// `gradient-regularization run --profile quick`, then its claims (all exact float64 numerics, so
/// the quick profile checks every claim), determinism, and clear errors on bad input.
@Suite("gradient-regularization executable", .serialized)
struct GradientRegularizationClaimTests {
    static let reading = "gradient-regularization"

    @Test func quickProfileReproducesItsClaims() throws {
        let quick = try QuickProfileRun(Self.reading, tag: "gr")
        let out = quick.out, summary = quick.summary
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(quick.verification.claims.claims.count >= 6)
        for path in ["/curves/local-order/error_mf1", "/curves/global-order/error_mf2", "/curves/portrait/gf",
                     "/curves/balance/sharpness", "/curves/generic-global-order/error_gf"] {
            #expect(summary.datasets[path]?.attributes["units"] != nil, "\(path) missing or without units")
        }
        // The one-step errors at h = 0.01 against the calibration (independent float64 code,
        // adaptive 8th-order reference): 1.984e-4, 3.004e-6, 5.31e-8 — agreement to 0.5 %.
        let hs = try #require(summary.datasets["/curves/local-order/step_size"]?.values)
        guard case let .double(h) = hs, let i = h.firstIndex(of: 0.01) else { Issue.record("h = 0.01 missing"); return }
        for (flow, reference) in [("gf", 1.984e-4), ("mf1", 3.004e-6), ("mf2", 5.31e-8)] {
            guard case let .double(e)? = summary.datasets["/curves/local-order/error_\(flow)"]?.values else { continue }
            #expect(abs(e[i] / reference - 1) < 5e-3, "\(flow): \(e[i]) vs \(reference)")
        }
    }

    @Test func sameSeedGivesIdenticalDatasetsOtherSeedChangesTheNetwork() throws {
        let dir = try ExecutableRunner.temporaryDirectory("gr-det")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = "\(dir)/small.json"
        try #"{"experiments": ["generic-local-order", "local-order"]}"#.write(toFile: config, atomically: true, encoding: .utf8)
        for (name, seed) in [("a", "4"), ("b", "4"), ("c", "5")] {
            let r = try ExecutableRunner.run(Self.reading, ["run", "--config", config, "--seed", seed, "--out", "\(dir)/\(name)", "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let a = try HDF5Document.read(from: "\(dir)/a/summary.h5")
        let b = try HDF5Document.read(from: "\(dir)/b/summary.h5")
        let c = try HDF5Document.read(from: "\(dir)/c/summary.h5")
        #expect(!a.datasets.isEmpty)
        #expect(a.datasets == b.datasets)
        let path = "/curves/generic-local-order/error_mf1"
        #expect(a.datasets[path] != nil)
        #expect(a.datasets[path] != c.datasets[path])
        #expect(a.datasets["/curves/local-order/error_mf1"] == c.datasets["/curves/local-order/error_mf1"])
    }

    @Test func badConfigFailsClearlyAndKeepsFinishedResults() throws {
        let dir = try ExecutableRunner.temporaryDirectory("gr-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let small = "\(dir)/small.json"
        try #"{"experiments": ["local-order"]}"#.write(toFile: small, atomically: true, encoding: .utf8)
        let good = try ExecutableRunner.run(Self.reading, ["run", "--config", small, "--out", dir, "--quiet"])
        #expect(good.status == 0, "\(good.stderr)")
        let before = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/summary.h5"))

        let unstable = "\(dir)/unstable.json"
        try #"{"experiments": ["balance"], "balance": {"step_sizes": [0.01, 0.2]}}"#.write(toFile: unstable, atomically: true, encoding: .utf8)
        let bad = try ExecutableRunner.run(Self.reading, ["run", "--config", unstable, "--out", dir, "--quiet"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("balance.step_sizes") && bad.stderr.contains("stability limit"))

        let negative = "\(dir)/negative.json"
        try #"{"local_order": {"step_sizes": [0.01, -0.02]}}"#.write(toFile: negative, atomically: true, encoding: .utf8)
        let neg = try ExecutableRunner.run(Self.reading, ["run", "--config", negative, "--out", dir, "--quiet"])
        #expect(neg.status != 0)
        #expect(neg.stderr.contains("local_order.step_sizes"))

        // Divergence: GD with h = 50 on the network blows up and the run says so.
        let diverging = "\(dir)/diverge.json"
        try #"{"experiments": ["generic-global-order"], "generic_path": {"global_step_counts": [1, 2]}, "global_order": {"time": 2000.0, "substeps": 1}}"#
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
