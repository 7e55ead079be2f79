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

    /// The quick profile's kernel point on a smaller split (600 training, 300 test images) and two
    /// 8×8 rank-2 completion instances of the same seed (so the second reuses the first's W*).
    static let recheck = #"""
        {"least_squares": {"kernel": {"train_size": 600, "test_size": 300, "median_sample": 200}},
         "matrix_factorization": {"instances": [
           {"size": 8, "rank": 2, "observed": 20, "seeds": [0], "halved_step_depths": [], "runs": []},
           {"size": 8, "rank": 2, "observed": 24, "seeds": [0], "halved_step_depths": [], "runs": []}]}}
        """#

    /// An outside checker needs only the point file and the public data: the kernel
    /// interpolant's test error and γ are recomputed here from the stored split, γ, c and median
    /// sample and MNIST-5k, and a nuclear-norm point's error from its stored W*, (row, column)
    /// entries and solution, without the reading's code.
    @Test func pointFilesAreRecheckableFromTheFileAlone() throws {
        let scratch = try Scratch("mn-recheck")
        let config = try scratch.write("recheck.json", Self.recheck)
        let out = "\(scratch.path)/out"
        let run = try ExecutableRunner.run("minimum-norm", ["run", "--profile", "quick", "--config", config, "--out", out, "--quiet",
                                                            "--points", "ls-kernel-c1,mf-i0-seed0-nuclear,mf-i1-seed0-nuclear"])
        try #require(run.status == 0, "\(run.stderr)")
        let points = PointFiles(out)

        // Kernel interpolation: K_ij = exp(−γ‖x_i − x_j‖²) over the stored training rows, Kα = Y (one-hot
        // true labels), the test images' class = argmax of Σ_j k(x, x_j)α_j.
        let kernel = try points.document("ls-kernel-c1")
        let instance = kernel.groupAttributes["/instance"] ?? [:]
        #expect(instance["data_set"] == .string("mnist-5k") && instance["data_file"] == .string(MNIST5k.relativePath))
        let data = DataDirectory(explicit: nil, repositoryRoot: ExecutableRunner.repositoryRoot)
        #expect(instance["data_sha256"] == (try data.checksums()[MNIST5k.relativePath]).map(AttributeValue.string))
        let mnist = try MNIST5k.load(from: data, as: Double.self)
        let train = try kernel.integers("/instance/train_indices"), test = try kernel.integers("/instance/test_indices")
        #expect(train.count == 600 && test.count == 300 && Set(train).isDisjoint(with: test) && (train + test).allSatisfy { (0..<5000).contains($0) })
        let gamma = try #require(kernel.scalar("/instance/gamma"))
        #expect(gamma == kernel.scalar("/summary/gamma"))
        let features = mnist.featureCount
        func squaredDistance(_ i: Int, _ j: Int) -> Double {
            var s = 0.0
            for f in 0..<features {
                let d = mnist.inputs.storage[i * features + f] - mnist.inputs.storage[j * features + f]
                s += d * d
            }
            return s
        }
        // γ = 1/(c·median squared distance over the distinct pairs of the first median_sample
        // training images). The run expands ‖a‖² + ‖b‖² − 2aᵀb, this sums (a − b)²: the two differ
        // by rounding (~1e-15 relative); another split, sample or c moves γ by far more than 1e-9.
        let sample = Int(try #require(kernel.scalar("/instance/median_sample")))
        let c = try #require(kernel.scalar("/instance/bandwidth_factor"))
        var pairs: [Double] = []
        for i in 0..<sample { for j in (i + 1)..<sample { pairs.append(squaredDistance(train[i], train[j])) } }
        pairs.sort()
        let median = pairs.count % 2 == 1 ? pairs[pairs.count / 2] : (pairs[pairs.count / 2 - 1] + pairs[pairs.count / 2]) / 2
        #expect(abs(1 / (c * median) - gamma) <= 1e-9 * gamma, "γ from the stored split \(1 / (c * median)), stored \(gamma)")

        var gram = Matrix<Double>(rows: train.count, cols: train.count)
        for i in train.indices { for j in train.indices { gram[i, j] = Double.exp(-gamma * squaredDistance(train[i], train[j])) } }
        var targets = Matrix<Double>(rows: train.count, cols: 10)
        for (i, row) in train.enumerated() { targets[i, Int(mnist.labels[row])] = 1 }
        let alpha = try CholeskyFactor(gram, tolerance: 1e-12).solve(targets)
        var wrong = 0
        for row in test {
            var scores = [Double](repeating: 0, count: 10)
            for (j, column) in train.enumerated() {
                let k = Double.exp(-gamma * squaredDistance(row, column))
                for l in 0..<10 { scores[l] += k * alpha[j, l] }
            }
            if scores.indices.max(by: { scores[$0] < scores[$1] }) != Int(mnist.labels[row]) { wrong += 1 }
        }
        // A count of images: the kernel entries here differ from the run's in the last bits, which
        // could flip a prediction only if two class scores tied to ~1e-12. A wrong split, γ or
        // label order changes the count.
        let testError = 1 - Double(test.count - wrong) / Double(test.count)
        #expect(testError == kernel.scalar("/summary/test_error"), "recomputed \(testError), stored \(String(describing: kernel.scalar("/summary/test_error")))")

        // Matrix completion: Ω as (row, column) pairs, the values M_Ω = W*_Ω, the error of the
        // minimum-nuclear-norm solution; the second instance names the W* it reuses.
        let first = try points.document("mf-i0-seed0-nuclear"), second = try points.document("mf-i1-seed0-nuclear")
        for document in [first, second] {
            let truth = try document.doubles("/instance/W_star"), n = document.shape("/instance/W_star")[1]
            let entries = try document.integers("/instance/observed_entries"), observed = try document.integers("/instance/observed")
            #expect(document.shape("/instance/observed_entries") == [observed.count, 2])
            #expect((0..<observed.count).map { entries[2 * $0] * n + entries[2 * $0 + 1] } == observed)
            #expect((0..<observed.count).map { truth[entries[2 * $0] * n + entries[2 * $0 + 1]] } == (try document.doubles("/instance/values")))
            let solution = try document.doubles("/solutions/minimum_nuclear_norm")
            let error = zip(solution, truth).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / truth.reduce(0) { $0 + $1 * $1 }
            // Sums in another order than the run's: equal to rounding. Below the 28 degrees of
            // freedom of an 8×8 rank-2 matrix the error is of order 0.1, not 0.
            let stored = try #require(document.scalar("/summary/error"))
            #expect(stored > 1e-3 && abs(error - stored) <= 1e-12 * stored, "recomputed \(error), stored \(stored)")
        }
        #expect(first.groupAttributes["/instance"]?["W_star_reused_from_instance"] == nil)
        #expect(second.groupAttributes["/instance"]?["W_star_reused_from_instance"] == .int(0))
        #expect(second.groupAttributes["/instance"]?["W_star_reused_from_seed"] == .int(0))
        #expect(second.datasets["/instance/W_star"]?.values == first.datasets["/instance/W_star"]?.values)
        #expect(second.datasets["/instance/observed"]?.values != first.datasets["/instance/observed"]?.values)
    }

    @Test func badConfigFailsClearly() throws {
        let finished = try FinishedResults("minimum-norm", tag: "mn", config: Self.tiny, arguments: Self.leastSquares)
        defer { finished.remove() }
        try finished.expectRefused(#"{"least_squares": {"n": 200, "d": 100}}"#, naming: "least_squares.d")
        try finished.expectRefused(#"{"diagonal_init": {"widths": [0, 4]}}"#, naming: "diagonal_init.widths")
        try finished.expectRefused(#"{"diagonal_init": {"imbalances": [2, 4]}}"#, naming: "diagonal_init.imbalances", "must include 1")
        try finished.expectRefused(#"{"diagonal_init": {"alpha_range": [1, 0.1]}}"#, naming: "diagonal_init.alpha_range")
    }
}
