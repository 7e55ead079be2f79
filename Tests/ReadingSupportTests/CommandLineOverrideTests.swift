import Foundation
import ImplicitRegCore
import ReadingSupport
import TestSupport
import Testing

/// `run/plan/slurm key.path=value`: overrides on top of the profile and --config, with the same
/// errors as config files (unknown key, wrong value) naming the argument.
@Suite("command-line overrides")
struct CommandLineOverrideTests {
    static let base: [String: JSONValue] = [
        "seed": .number("0"),
        "training": .object(["learning_rate": .number("0.1"), "epochs": .number("3"),
                             "initializer": .object(["rule": .string("glorot"), "scale": .number("1")])]),
        "sizes": .array([.number("1"), .number("2")]),
    ]

    static func message(_ overrides: [String]) -> String {
        do { _ = try ConfigLoader.applyOverrides(overrides, to: base); return "" } catch { return "\(error)" }
    }

    @Test func nestedNumbersListsWordsAndObjects() throws {
        let out = try ConfigLoader.applyOverrides(
            ["training.learning_rate=0.05", "sizes=[4, 8]", "training.initializer.rule=he", #"training.initializer={"scale": 2}"#], to: Self.base)
        guard case let .object(training)? = out["training"], case let .object(initializer)? = training["initializer"] else {
            Issue.record("training lost its shape"); return
        }
        #expect(training["learning_rate"] == .number("0.05"))
        #expect(training["epochs"] == .number("3"))
        #expect(out["sizes"] == .array([.number("4"), .number("8")]))
        #expect(initializer["rule"] == .string("he"))       // a bare word is a string
        #expect(initializer["scale"] == .number("2"))       // an object merges into the object
    }

    @Test func unknownKeyIsNamedWithItsPath() {
        let m = Self.message(["training.learnig_rate=0.05"])
        #expect(m.contains("training.learnig_rate") && m.contains("command line"), "\(m)")
    }

    @Test func argumentWithoutEqualsSignIsExplained() {
        let m = Self.message(["training.learning_rate"])
        #expect(m.contains("key.path=value"), "\(m)")
    }

    @Test func brokenJSONValueIsNamed() {
        let m = Self.message(["sizes=[4,"])
        #expect(m.contains("sizes") && m.contains("not a JSON value"), "\(m)")
    }

    @Test func pathThroughANonObjectIsRefused() {
        let m = Self.message(["seed.value=3"])
        #expect(m.contains("seed.value") && m.contains("not an object"), "\(m)")
    }

    /// End to end: an override changes the resolved config (and so every point id), a misspelt
    /// one fails before any work, and another config into the same results directory is refused
    /// with the keys that differ while the finished results stay.
    @Test func overridesEndToEndAndResultsDirectoriesNeverMix() throws {
        let dir = try ExecutableRunner.temporaryDirectory("override")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let reading = "gradient-regularization"
        let small = ["experiments=[\"local-order\"]"]
        let planA = try ExecutableRunner.run(reading, ["plan"] + small)
        let planB = try ExecutableRunner.run(reading, ["plan", "local_order.substeps=41"] + small)
        #expect(planA.status == 0 && planB.status == 0, "\(planA.stderr)\(planB.stderr)")
        #expect(planA.stdout != planB.stdout, "an override must change the point ids")
        let typo = try ExecutableRunner.run(reading, ["run", "--out", dir, "--quiet", "local_ordr.substeps=41"] + small)
        #expect(typo.status != 0 && typo.stderr.contains("local_ordr"), "\(typo.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/summary.h5"))

        let first = try ExecutableRunner.run(reading, ["run", "--out", dir, "--quiet"] + small)
        #expect(first.status == 0, "\(first.stderr)")
        let before = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/summary.h5"))
        let other = try ExecutableRunner.run(reading, ["run", "--out", dir, "--quiet", "--seed", "3"] + small)
        #expect(other.status != 0)
        #expect(other.stderr.contains("another config") && other.stderr.contains("seed") && other.stderr.contains("--out"), "\(other.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/summary.h5")) == before)
        let again = try ExecutableRunner.run(reading, ["run", "--out", dir, "--quiet"] + small)
        #expect(again.status == 0, "the same config resumes: \(again.stderr)")
    }
}
