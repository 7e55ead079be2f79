import Foundation
import ImplicitRegCore
import TestSupport
import Testing

/// The shared grid machinery (`plan`, `run --shard/--points`, `merge`, resuming, interruption),
/// exercised through the random-labels executable on a 4-point grid (2 seeds × 2 conditions).
/// Serialized: the runs are CPU-bound and the machine has two cores.
@Suite("grid points: plan, shards, merge, resume", .serialized)
struct PointsTests {
    static let tiny = #"{"seeds": [0, 1], "conditions": ["true-labels", "random-labels"], "corruption": {"levels": []}, "regularization": {"models": []}, "theorem": {"sizes": []}, "size_sweep": null, "train_size": 300, "test_size": 200, "training": {"epochs": 3, "stop_at_train_accuracy": null}}"#
    /// A few seconds per run, so a run can be killed part-way.
    static let slower = #"{"seeds": [0, 1], "conditions": ["true-labels", "random-labels"], "corruption": {"levels": []}, "regularization": {"models": []}, "theorem": {"sizes": []}, "size_sweep": null, "train_size": 1000, "test_size": 200, "training": {"epochs": 15, "stop_at_train_accuracy": null}}"#

    private func write(_ text: String, _ path: String) throws -> String {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func run(_ arguments: [String]) throws -> ExecutableRunner.Outcome {
        try ExecutableRunner.run("random-labels", arguments)
    }

    /// The ids printed by `plan` (second column of the point lines).
    private func planIDs(_ config: String, out: String) throws -> (ids: [String], stdout: String) {
        let plan = try run(["plan", "--config", config, "--out", out])
        #expect(plan.status == 0, "\(plan.stderr)")
        let ids = plan.stdout.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 5, Int(fields[0]) != nil, fields[1].count == 16, fields[1].allSatisfy(\.isHexDigit) else { return nil }
            return String(fields[1])
        }
        return (ids, plan.stdout)
    }

    private func pointFiles(_ out: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(out)/points")) ?? []).filter { $0.hasSuffix(".h5") }.sorted()
    }

    private func temporaries(_ out: String) -> [String] {
        let top = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
        let points = (try? FileManager.default.contentsOfDirectory(atPath: "\(out)/points")) ?? []
        return (top + points).filter { $0.contains("implicit-reg-tmp") }
    }

    /// The document without the `/meta` times (everything else must be identical across runs).
    private func timeless(_ path: String) throws -> HDF5Document {
        var doc = try HDF5Document.read(from: path)
        doc.groupAttributes["/meta"]?["start_time"] = nil
        doc.groupAttributes["/meta"]?["end_time"] = nil
        return doc
    }

    /// Starts the executable without waiting (output discarded).
    private func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "\(ExecutableRunner.binDirectory)/random-labels")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: ExecutableRunner.repositoryRoot)
        var environment = ProcessInfo.processInfo.environment
        environment["IMPLICIT_REG_ROOT"] = ExecutableRunner.repositoryRoot
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits until `<out>/points` holds a finished point file (or the process ends, or 60 s pass).
    private func waitForFirstPoint(_ out: String, _ process: Process) {
        let deadline = Date().addingTimeInterval(60)
        while pointFiles(out).isEmpty, process.isRunning, Date() < deadline { usleep(20_000) }
    }

    @Test func planListsStableIDsThatFollowTheConfig() throws {
        let dir = try ExecutableRunner.temporaryDirectory("pts-plan")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = try write(Self.tiny, "\(dir)/tiny.json")
        let first = try planIDs(config, out: "\(dir)/out")
        let second = try planIDs(config, out: "\(dir)/out")
        #expect(first.ids.count == 4, "\(first.stdout)")
        #expect(Set(first.ids).count == 4)
        #expect(first.ids == second.ids)
        #expect(first.stdout.contains("fashion-mnist-mlp-1x512-random-labels-seed1"))
        #expect(first.stdout.contains("missing"))

        let changed = try write(#"{"seeds": [0, 1], "conditions": ["true-labels", "random-labels"], "corruption": {"levels": []}, "regularization": {"models": []}, "theorem": {"sizes": []}, "size_sweep": null, "train_size": 300, "test_size": 200, "training": {"epochs": 3, "stop_at_train_accuracy": null, "learning_rate": 0.02}}"#,
                                "\(dir)/changed.json")
        let third = try planIDs(changed, out: "\(dir)/out")
        #expect(third.ids.count == 4)
        #expect(Set(third.ids).isDisjoint(with: first.ids), "changing a hyperparameter must change every id")
    }

    @Test func parallelShardsThenMergeEqualASerialRun() throws {
        let dir = try ExecutableRunner.temporaryDirectory("pts-shard")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = try write(Self.tiny, "\(dir)/tiny.json")
        let serial = try run(["run", "--config", config, "--out", "\(dir)/serial", "--quiet"])
        #expect(serial.status == 0, "\(serial.stderr)")

        // The two shards as concurrent processes writing into one points directory.
        let shards = try (0..<2).map { try start(["run", "--config", config, "--out", "\(dir)/sharded", "--shard", "\($0)/2", "--no-merge", "--quiet"]) }
        for shard in shards { shard.waitUntilExit() }
        #expect(shards.allSatisfy { $0.terminationStatus == 0 })
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/sharded/summary.h5"), "--no-merge wrote a summary")
        let merge = try run(["merge", "--config", config, "--out", "\(dir)/sharded", "--quiet"])
        #expect(merge.status == 0, "\(merge.stderr)")

        let a = try HDF5Document.read(from: "\(dir)/serial/summary.h5")
        let b = try HDF5Document.read(from: "\(dir)/sharded/summary.h5")
        #expect(!a.datasets.isEmpty)
        #expect(a.datasets == b.datasets)
        #expect(b.datasets["/curves/fashion-mnist-mlp-1x512-random-labels-seed1/train_loss"] != nil)
        #expect(b.datasets["/summary/random-labels/train_accuracy_min"] != nil)

        let ids = try planIDs(config, out: "\(dir)/serial").ids
        #expect(pointFiles("\(dir)/serial") == ids.map { "\($0).h5" }.sorted())
        #expect(pointFiles("\(dir)/sharded") == pointFiles("\(dir)/serial"))
        for name in pointFiles("\(dir)/serial") {
            let x = try timeless("\(dir)/serial/points/\(name)")
            let y = try timeless("\(dir)/sharded/points/\(name)")
            #expect(x.datasets == y.datasets, "\(name)")
            #expect(x.groupAttributes == y.groupAttributes, "\(name)")
            #expect(x.groupAttributes["/meta"]?["point_id"] == .string(String(name.dropLast(3))))
            #expect(x.groupAttributes["/meta"]?["point_label"] != nil)
            #expect(x.groupAttributes["/meta"]?["point_config"] != nil)
        }

        // --points runs only the named points (by id or label).
        let one = try run(["run", "--config", config, "--out", "\(dir)/one", "--points", "\(ids[2]),fashion-mnist-mlp-1x512-true-labels-seed0", "--quiet"])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(pointFiles("\(dir)/one") == ["\(ids[0]).h5", "\(ids[2]).h5"].sorted())
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/one/summary.h5"))
        let unknown = try run(["run", "--config", config, "--out", "\(dir)/one", "--points", "0123456789abcdef"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("0123456789abcdef"))
    }

    @Test func rerunSkipsDonePointsAndRunsOnlyTheMissingOne() throws {
        let dir = try ExecutableRunner.temporaryDirectory("pts-resume")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = try write(Self.tiny, "\(dir)/tiny.json")
        let out = "\(dir)/out"
        let first = try run(["run", "--config", config, "--out", out, "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        let before = try HDF5Document.read(from: "\(out)/summary.h5")
        let files = pointFiles(out)
        #expect(files.count == 4)

        // The index: every point in grid order, as `plan` lists them, with its status.
        func index() throws -> [[String]] {
            try String(contentsOfFile: "\(out)/points/index.tsv", encoding: .utf8)
                .split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        }
        let ids = try planIDs(config, out: out).ids
        #expect(try index() == [["index", "id", "label", "status"]] + ids.enumerated().map { i, id in
            [String(i), id, try #require(index().first { $0[1] == id })[2], "done"]
        })
        #expect(Set(try index().dropFirst().map { "\($0[1]).h5" }) == Set(files))

        let victim = files[1]
        try FileManager.default.removeItem(atPath: "\(out)/points/\(victim)")
        let merge = try run(["merge", "--config", config, "--out", out, "--quiet"])
        #expect(merge.status != 0, "merge with a missing point must fail")
        #expect(merge.stderr.contains(String(victim.dropLast(3))), "\(merge.stderr)")
        #expect(try index().filter { $0[3] == "missing" }.map { $0[1] } == [String(victim.dropLast(3))], "merge keeps the index up to date")

        func mtime(_ name: String) throws -> Date {
            try FileManager.default.attributesOfItem(atPath: "\(out)/points/\(name)")[.modificationDate] as! Date
        }
        let others = files.filter { $0 != victim }
        let times = try others.map(mtime)
        usleep(20_000)
        let second = try run(["run", "--config", config, "--out", out])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("3 of 4 selected point(s) already done, skipped"), "\(second.stderr)")
        #expect(second.stderr.contains("ran 1, skipped 3"), "\(second.stderr)")
        #expect(try index().dropFirst().allSatisfy { $0[3] == "done" })
        #expect(try others.map(mtime) == times, "done point files were rewritten")
        #expect(pointFiles(out) == files)
        let after = try HDF5Document.read(from: "\(out)/summary.h5")
        #expect(before.datasets == after.datasets)

        let plan = try run(["plan", "--config", config, "--out", out])
        #expect(plan.stdout.contains("4 point(s), 4 done"), "\(plan.stdout)")

        // A file whose /meta names another point is stale: run again, not skipped.
        try FileManager.default.removeItem(atPath: "\(out)/points/\(files[2])")
        try FileManager.default.copyItem(atPath: "\(out)/points/\(files[0])", toPath: "\(out)/points/\(files[2])")
        let third = try run(["run", "--config", config, "--out", out])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stderr.contains("written for another point; running again"), "\(third.stderr)")
        #expect(third.stderr.contains("ran 1, skipped 3"), "\(third.stderr)")
        #expect(try HDF5Document.read(from: "\(out)/summary.h5").datasets == before.datasets)
    }

    @Test func killedRunsLeaveNoPartialFileAndResume() throws {
        let dir = try ExecutableRunner.temporaryDirectory("pts-kill")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = try write(Self.slower, "\(dir)/slower.json")
        let reference = try run(["run", "--config", config, "--out", "\(dir)/reference", "--quiet"])
        #expect(reference.status == 0, "\(reference.stderr)")
        let expected = try HDF5Document.read(from: "\(dir)/reference/summary.h5")

        // SIGTERM part-way: exit 143, no temporary file, the finished points kept.
        let terminated = "\(dir)/terminated"
        let process = try start(["run", "--config", config, "--out", terminated, "--quiet"])
        waitForFirstPoint(terminated, process)
        #expect(process.isRunning, "the run finished before it could be killed")
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 143)
        #expect(temporaries(terminated).isEmpty, "\(temporaries(terminated))")
        let kept = pointFiles(terminated)
        #expect(!kept.isEmpty && kept.count < 4, "\(kept)")
        #expect(!FileManager.default.fileExists(atPath: "\(terminated)/summary.h5"))
        let resumed = try run(["run", "--config", config, "--out", terminated])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("ran \(4 - kept.count), skipped \(kept.count)"), "\(resumed.stderr)")
        #expect(try HDF5Document.read(from: "\(terminated)/summary.h5").datasets == expected.datasets)

        // SIGKILL part-way, plus a temporary file as a kill during a write would leave it.
        let killed = "\(dir)/killed"
        let victim = try start(["run", "--config", config, "--out", killed, "--quiet"])
        waitForFirstPoint(killed, victim)
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let stale = "\(killed)/points/.0000000000000000.h5.implicit-reg-tmp-\(gone.processIdentifier)"
        try Data("partial".utf8).write(to: URL(fileURLWithPath: stale))
        let rerun = try run(["run", "--config", config, "--out", killed])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("removed \(stale)"), "\(rerun.stderr)")
        #expect(temporaries(killed).isEmpty, "\(temporaries(killed))")
        #expect(pointFiles(killed) == pointFiles("\(dir)/reference"))
        #expect(try HDF5Document.read(from: "\(killed)/summary.h5").datasets == expected.datasets)
    }
}
