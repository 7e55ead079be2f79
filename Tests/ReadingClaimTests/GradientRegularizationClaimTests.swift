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
        let config = #"{"experiments": ["generic-local-order", "local-order"]}"#
        let a = try ReadingChecks.expectSameResults(Self.reading, config: config, seed: 4, tag: "gr")
        let c = try ReadingChecks.summary(Self.reading, config: config, seed: 5, tag: "gr")
        let path = "/curves/generic-local-order/error_mf1"
        #expect(a.datasets[path] != nil)
        #expect(a.datasets[path] != c.datasets[path])
        #expect(a.datasets["/curves/local-order/error_mf1"] == c.datasets["/curves/local-order/error_mf1"])
    }

    @Test func badConfigFailsClearlyAndKeepsFinishedResults() throws {
        let finished = try FinishedResults(Self.reading, tag: "gr", config: #"{"experiments": ["local-order"]}"#)
        defer { finished.remove() }
        try finished.expectRefused(#"{"experiments": ["balance"], "balance": {"step_sizes": [0.01, 0.2]}}"#,
                                   naming: "balance.step_sizes", "stability limit")
        try finished.expectRefused(#"{"local_order": {"step_sizes": [0.01, -0.02]}}"#, naming: "local_order.step_sizes")
        // Divergence: GD with h = 50 on the network blows up and the run says so.
        try finished.expectDiverges(
            #"{"experiments": ["generic-global-order"], "generic_path": {"global_step_counts": [1, 2]}, "global_order": {"time": 2000.0, "substeps": 1}}"#)
    }
}
