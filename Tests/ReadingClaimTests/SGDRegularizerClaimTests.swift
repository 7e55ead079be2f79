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
