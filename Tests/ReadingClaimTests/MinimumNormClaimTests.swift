import Foundation
import ImplicitRegCore
import TestSupport
import Testing

/// `minimum-norm run --profile quick`, then its claims; the `--part` selection; bad input.
/// Serialized: the runs are CPU-bound and the machine has two cores.
@Suite("minimum-norm executable", .serialized)
struct MinimumNormClaimTests {
    @Test func quickProfileReproducesItsClaims() throws {
        let quick = try QuickProfileRun("minimum-norm", tag: "mn")
        let out = quick.out, summary = quick.summary
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(summary.datasets["/curves/ls-gaussian-seed0/gd_zero/relative_distance"] != nil)
        // Every point file keeps its problem instance next to the solutions.
        let points = try FileManager.default.contentsOfDirectory(atPath: "\(out)/points").filter { $0.hasSuffix(".h5") }
        #expect(!points.isEmpty)
        for name in points {
            let doc = try HDF5Document.read(from: "\(out)/points/\(name)")
            #expect(doc.datasets.keys.contains { $0.hasPrefix("/instance/") } || doc.groupAttributes["/instance"] != nil, "\(name) has no /instance")
        }
    }

    /// A small override: a tiny least-squares instance, no kernel (run with `--part least-squares`).
    static let tiny = #"{"least_squares": {"n": 20, "d": 60, "sgd_epochs": 20, "kernel": null}}"#
    static let leastSquares = ["--part", "least-squares"]

    @Test func partSelectsItsPointsAndSameSeedIsBitIdentical() throws {
        let dir = try ExecutableRunner.temporaryDirectory("mn-part")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = "\(dir)/tiny.json"
        try Self.tiny.write(toFile: config, atomically: true, encoding: .utf8)
        let plan = try ExecutableRunner.run("minimum-norm", ["plan", "--config", config, "--out", "\(dir)/a"] + Self.leastSquares)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("ls-gaussian-seed0"))
        #expect(!plan.stdout.contains("diag-transition"), "--part least-squares must not list the diagonal part")
        #expect(plan.stdout.contains("parts (--part): least-squares, diagonal, matrix-factorization"))
        let bad = try ExecutableRunner.run("minimum-norm", ["plan", "--config", config, "--part", "spectral"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--part must be one of least-squares"))
        let a = try ReadingChecks.expectSameResults("minimum-norm", config: Self.tiny, seed: 0, arguments: Self.leastSquares, tag: "mn")
        #expect(a.scalar("/summary/least-squares/gd_zero_distance") != nil)
    }

    @Test func badConfigFailsClearly() throws {
        let finished = try FinishedResults("minimum-norm", tag: "mn", config: Self.tiny, arguments: Self.leastSquares)
        defer { finished.remove() }
        try finished.expectRefused(#"{"least_squares": {"n": 200, "d": 100}}"#, naming: "least_squares.d")
    }
}
