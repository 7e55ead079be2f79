import Foundation
import ImplicitRegCore
import TestSupport
import Testing

// Regression tests of command-line inputs and result files that once crashed, hung or ran away (and
// of files the suite once deleted without having written them), through the readings' commands.
// The core's readers have theirs in Tests/ImplicitRegCoreTests/ReliabilityTests.swift; `make
// test-fuzz` (Tests/fuzz/) generates thousands more.

/// Runs a system command (`/bin/mount`, ...) and returns its exit status.
@discardableResult
private func system(_ path: String, _ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}

/// A process that ended by itself, not by a signal (Foundation reports signals as `.uncaughtSignal`).
private func endedCleanly(_ outcome: ExecutableRunner.Outcome) -> Bool { outcome.status == 0 || outcome.status == 1 }

@Suite("Reliability: commands", .serialized)
struct CommandReliabilityTests {
    /// A noise-scale full-profile summary (the committed one until the design of its batch-size
    /// sweeps changed, kept here) and the flips that crashed HDF5 1.10.8 inside `verify` (SIGSEGV
    /// twice, SIGABRT once) when the file was read in-process.
    static let summary = "Tests/fixtures/noise-scale-summary-crash-reproducer.h5"
    static let summarySHA256 = "c6d0968790558f1cafdf9f921d92c82fc7a3c821992199f47b727ae4607b1441"
    static let crashingFlips: [[(Int, UInt8)]] = [
        [(7356, 128), (16940, 8), (21950, 4), (22039, 16), (23695, 2), (24197, 32), (30094, 4), (33461, 1), (36857, 8), (38599, 128),
         (40895, 64), (43402, 128), (46304, 128), (65076, 128), (147751, 2), (866962, 128), (869111, 32), (950007, 1), (1149231, 1), (1195375, 8)],
        [(525, 8), (2757, 1), (6833, 128), (11849, 16), (15964, 8), (21600, 1), (22017, 32), (31587, 64), (31750, 16), (32883, 128),
         (35065, 2), (35812, 16), (36395, 8), (37326, 4), (42659, 128), (45610, 64), (53506, 2), (63958, 8), (291768, 2), (907902, 64)],
        [(5225, 1), (5324, 64), (11095, 4), (17045, 2), (19612, 1), (24579, 16), (25876, 8), (26247, 8), (26726, 2), (31853, 128),
         (41350, 64), (42585, 64), (44520, 16), (46488, 8), (47357, 128), (47702, 1), (60074, 8), (67663, 4), (154095, 8), (279452, 1)],
    ]

    // Flipped bits once crashed `verify` (SIGSEGV in memcpy, SIGABRT in free) or drove it to 17 GB.
    @Test func damagedSummariesEndInANamedErrorNeverASignal() throws {
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(ExecutableRunner.repositoryRoot)/\(Self.summary)")))
        #expect(SHA256.hexDigest(of: original) == Self.summarySHA256, "\(Self.summary) changed: the recorded flips no longer reproduce anything")
        var mutants: [[(Int, UInt8)]] = Self.crashingFlips
        var rng = Xoshiro256StarStar(seed: 14)
        for _ in 0..<12 {  // and a dozen seeded mutants more (Tests/fuzz runs thousands)
            mutants.append((0..<8).map { _ in (rng.nextInt(below: 1 << 16), UInt8(1) << UInt8(rng.nextInt(below: 8))) })
        }
        let dir = try Scratch("flips")
        for flips in mutants {
            var bytes = original
            for (at, bit) in flips { bytes[at] ^= bit }
            try Data(bytes).write(to: URL(fileURLWithPath: "\(dir.path)/summary.h5"))
            let verify = try ExecutableRunner.run("noise-scale", ["verify", "--results", dir.path])
            #expect(endedCleanly(verify), "flips \(flips): status \(verify.status)\n\(verify.stderr.suffix(400))")
            #expect(!verify.stderr.contains("Program crashed"))
        }
    }

    private let tiny = #"{"seeds": [0], "conditions": ["true-labels"], "corruption": {"levels": []}, "regularization": {"models": []}, "theorem": {"sizes": []}, "size_sweep": null, "train_size": 300, "test_size": 200, "training": {"epochs": 1, "stop_at_train_accuracy": null}}"#

    private func plan(_ reading: String, _ config: String) throws -> ExecutableRunner.Outcome {
        let dir = try Scratch("cfg")
        return try ExecutableRunner.run(reading, ["plan", "--config", try dir.write("c.json", config), "--out", "\(dir.path)/out"])
    }

    // Once "top level: The given data was not valid JSON", a wrong field name, or a SIGILL in `plan`.
    @Test(arguments: [
        ("noise-scale", #"{"network": {"evaluation_chunk": 2.5}}"#, "network.evaluation_chunk"),
        ("noise-scale", #"{"seed": -1}"#, "seed"),
        ("noise-scale", #"{"seed": 18446744073709551616}"#, "seed"),
        ("random-labels", #"{"theorem": {"theta": 1e-320}}"#, "theorem.theta"),
        ("random-labels", #"{"training": {"learning_rate": 1e400}}"#, "training.learning_rate"),
        ("random-labels", #"{"training": {"epochs": 1e9}}"#, "training.epochs"),
        ("random-labels", #"{"training": {"epochs": 1000000000}}"#, "training.epochs"),
        ("gradient-regularization", #"{"mnist": {"power_iterations": 0}}"#, "mnist.power_iterations"),
        ("gradient-regularization", #"{"mnist": {"max_time": 1e308}}"#, "mnist.max_time"),
        ("gradient-regularization", #"{"mnist": {"max_time": 1e11}}"#, "mnist.max_time"),
        ("minimum-norm", #"{"diagonal": {"transition_alpha_range": [1e-3, 1e308]}}"#, "diagonal.transition_alpha_range"),
        ("gradient-regularization", #"{"mnist": {"step_sizes": [0.5, 0.5, 2.8]}}"#, "repeats a value"),  // once a trap (two points, one label)
        ("random-labels", #"{"seed": 1,}"#, "line 1, column 12: trailing comma"),
        ("random-labels", #"{"seed": 1, "seed": 2}"#, "duplicate key \"seed\""),
        ("random-labels", "{\"seed\": 1 // one\n}", "comments are not allowed"),
    ])
    func badConfigsNameTheField(reading: String, config: String, expected: String) throws {
        let outcome = try plan(reading, config)
        #expect(outcome.status == 1, "\(config): status \(outcome.status)\n\(outcome.stderr)")
        #expect(outcome.stderr.contains(expected), "\(config): \(outcome.stderr)")
    }

    @Test func aDirectoryAsConfigAndAFileAsOutputFailAtOnce() throws {
        let dir = try Scratch("paths")
        let asConfig = try ExecutableRunner.run("random-labels", ["plan", "--config", dir.path])
        #expect(asConfig.status != 0 && asConfig.stderr.contains("is a directory"), "\(asConfig.stderr)")
        let file = try dir.write("results", "not a directory")
        let config = try dir.write("tiny.json", tiny)
        let start = Date()
        let asOut = try ExecutableRunner.run("random-labels", ["run", "--config", config, "--out", file, "--quiet"])
        #expect(asOut.status != 0 && asOut.stderr.contains("\(file) exists and is not a directory"), "\(asOut.stderr)")
        #expect(Date().timeIntervalSince(start) < 10, "a point was computed before the output path was checked")  // a point takes longer
    }

    // Once: a run without `make data` trained nothing for seconds, then failed on the first point's load.
    @Test func missingOrAlteredDataFailsBeforeAnyPoint() throws {
        let dir = try Scratch("data")
        let config = try dir.write("tiny.json", tiny)
        let data = "\(dir.path)/data"
        try FileManager.default.createDirectory(atPath: "\(data)/fashion-mnist", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "\(ExecutableRunner.repositoryRoot)/data/checksums.sha256", toPath: "\(data)/checksums.sha256")
        for (out, altered) in [("\(dir.path)/missing", false), ("\(dir.path)/altered", true)] {
            if altered {
                for file in ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"] {
                    _ = try dir.write("data/fashion-mnist/\(file)", "not the pinned file")
                }
            }
            let start = Date()
            let run = try ExecutableRunner.run("random-labels", ["run", "--config", config, "--data-dir", data, "--out", out, "--quiet"])
            #expect(run.status == 1, "\(run.stderr)")
            #expect(run.stderr.contains("the data set fashion-mnist"), "\(run.stderr)")
            #expect(run.stderr.contains(altered ? "SHA-256" : "make data"), "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out), "the run wrote \(out) before checking its data")
            #expect(Date().timeIntervalSince(start) < 10, "a point was computed before the data was checked")  // a point takes longer
        }
    }

    // Once: `run` and `merge` unlinked any `*.tmp-<N>` whose N was not a live pid.
    @Test func onlyTheSuitesOwnStaleTemporariesAreRemoved() throws {
        let dir = try Scratch("tmp")
        let config = try dir.write("tiny.json", tiny)
        let out = "\(dir.path)/out"
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let dead = gone.processIdentifier
        let foreign = try dir.write("out/thesis.tex.tmp-4000000", "a user's file")
        let foreignPoint = try dir.write("out/points/abc.h5.tmp-\(dead)", "a user's file")
        let stale = try dir.write("out/points/.abc.h5.implicit-reg-tmp-\(dead)", "partial")
        let merge = try ExecutableRunner.run("random-labels", ["merge", "--config", config, "--out", out])
        #expect(merge.status == 1)  // nothing to merge yet
        #expect(FileManager.default.fileExists(atPath: foreign))
        #expect(FileManager.default.fileExists(atPath: foreignPoint))
        #expect(!FileManager.default.fileExists(atPath: stale))
    }

    // Once "an asserted claim did not reproduce" for another reading's file, and a pass without /meta.
    @Test func verifyRefusesFilesThatDoNotBelong() throws {
        let dir = try Scratch("identity")
        let root = ExecutableRunner.repositoryRoot
        try FileManager.default.copyItem(atPath: "\(root)/Reproductions/noise-scale/results/full/summary.h5", toPath: "\(dir.path)/summary.h5")
        let foreign = try ExecutableRunner.run("random-labels", ["verify", "--results", dir.path])
        #expect(foreign.status == 1 && foreign.stderr.contains("results of the reading noise-scale, not random-labels"), "\(foreign.stderr)")
        // A legacy summary (no /meta reading) is recognised by its config.
        var legacyDocument = try HDF5Document.read(from: "\(dir.path)/summary.h5")
        legacyDocument.groupAttributes["/meta"]?["reading"] = nil
        try FileManager.default.createDirectory(atPath: "\(dir.path)/legacy", withIntermediateDirectories: true)
        try legacyDocument.write(to: "\(dir.path)/legacy/summary.h5")
        let legacy = try ExecutableRunner.run("random-labels", ["verify", "--results", "\(dir.path)/legacy"])
        #expect(legacy.status == 1 && legacy.stderr.contains("not a random-labels config"), "\(legacy.stderr)")
        let profile = try ExecutableRunner.run("noise-scale", ["verify", "--results", dir.path, "--profile", "quick"])
        #expect(profile.status == 1 && profile.stderr.contains("full profile, not quick"), "\(profile.stderr)")
        #expect(try ExecutableRunner.run("noise-scale", ["verify", "--results", dir.path, "--profile", "full"]).status == 0)

        var document = try HDF5Document.read(from: "\(dir.path)/summary.h5")
        document.setAttribute("reading", .string("sgd-regularizer"), on: "/meta")
        try document.write(to: "\(dir.path)/summary.h5")
        let other = try ExecutableRunner.run("noise-scale", ["verify", "--results", dir.path])
        #expect(other.status == 1 && other.stderr.contains("results of the reading sgd-regularizer, not noise-scale"), "\(other.stderr)")
        document.groupAttributes["/meta"] = nil
        try document.write(to: "\(dir.path)/summary.h5")
        let bare = try ExecutableRunner.run("noise-scale", ["verify", "--results", dir.path])
        #expect(bare.status == 1 && bare.stderr.contains("has no /meta"), "\(bare.stderr)")
    }

    // Once: `--out '/x$(touch PWNED)'` ran in submit.sh's echo; a newline in --partition added a script line.
    @Test func slurmScriptsNeverEvaluateUserText() throws {
        let dir = try Scratch("slurm-inject")
        let out = "\(dir.path)/o$(touch${IFS}\(dir.path)/PWNED)`touch${IFS}\(dir.path)/PWNED2`"  // no white space: #SBATCH refuses it
        let written = try ExecutableRunner.run("random-labels", ["slurm", "--profile", "quick", "--out", out, "--tasks", "1"])
        #expect(written.status == 0, "\(written.stderr)")
        // submit.sh with a stand-in sbatch that prints a job id.
        try FileManager.default.createDirectory(atPath: "\(dir.path)/bin", withIntermediateDirectories: true)
        let sbatch = try dir.write("bin/sbatch", "#!/bin/sh\necho 42\n")
        chmod(sbatch, 0o755)
        let submit = Process()
        submit.executableURL = URL(fileURLWithPath: "/bin/bash")
        submit.arguments = ["\(out)/slurm/submit.sh"]
        submit.environment = ["PATH": "\(dir.path)/bin:/usr/bin:/bin"]
        let output = Pipe()
        submit.standardOutput = output
        try submit.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        submit.waitUntilExit()
        #expect(submit.terminationStatus == 0)
        #expect(text.contains(out + "/slurm/logs"), "\(text)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir.path)/PWNED"))
        #expect(!FileManager.default.fileExists(atPath: "\(dir.path)/PWNED2"))

        for (option, value) in [("--partition", "cpu\n#SBATCH --wrap=evil"), ("--mem", "4G evil"), ("--sbatch-arg", "--account=a\nrm -rf /")] {
            let refused = try ExecutableRunner.run("random-labels", ["slurm", "--profile", "quick", "--out", "\(dir.path)/r", option, value])
            #expect(refused.status != 0 && refused.stderr.contains(option), "\(option): \(refused.stderr)")
        }
    }

    // Once a SIGSEGV after the clean "No space left on device" message. Needs root for a tmpfs.
    @Test(.enabled(if: geteuid() == 0))
    func aFullDiskEndsWithTheMessageAndKeepsFinishedPoints() throws {
        let dir = try Scratch("full")
        let mount = "\(dir.path)/disk"
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        guard try system("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mount]) == 0 else { return }  // no CAP_SYS_ADMIN
        defer { _ = try? system("/bin/umount", [mount]) }
        // The least-squares point writes ~1 MB: more than the 64 KiB disk holds.
        let run = try ExecutableRunner.run("minimum-norm", ["run", "--profile", "quick", "--out", "\(mount)/o", "--points", "ls-gaussian-seed0", "--quiet"])
        #expect(run.status == 1, "status \(run.status): \(run.stderr.suffix(300))")
        #expect(run.stderr.contains("No space left on device"), "\(run.stderr)")
        #expect(!run.stderr.contains("Program crashed"))
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: "\(mount)/o/points")) ?? []).isEmpty)
    }
}
