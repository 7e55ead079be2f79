import Foundation
import ImplicitRegCore
import ReadingSupport
import Testing

/// A small config shaped like a reading's.
private struct ToyConfig: ReadingConfig {
    var seed: UInt64
    var trainSize: Int
    var training: TrainingOptions
    func validate() throws { try training.validate(field: "training", trainingSetSize: trainSize) }
}

@Suite("Config loading")
struct ConfigLoaderTests {
    /// A checkout-like folder with `Reproductions/toy/configs/quick.json`.
    private func makeRoot() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ir-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: "\(root)/Reproductions/toy/configs", withIntermediateDirectories: true)
        let profile = """
            {"seed": 1, "train_size": 100, "training": {"epochs": 3, "batch_size": 10, "learning_rate": 0.1,
             "momentum": 0.9, "nesterov": false, "weight_decay": 0, "sampling": "reshuffle",
             "schedule": {"kind": "constant", "every_steps": 1, "factor": 1, "final_fraction": 0},
             "stop_at_train_accuracy": null, "stop_at_train_loss": null, "evaluation_chunk": 50}}
            """
        try profile.write(toFile: "\(root)/Reproductions/toy/configs/quick.json", atomically: true, encoding: .utf8)
        return root
    }

    private func write(_ text: String, in root: String) throws -> String {
        let path = "\(root)/user.json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func profileLoadsAndOverridesMerge() throws {
        let root = try makeRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let user = try write(#"{"training": {"learning_rate": 0.05}}"#, in: root)
        let (config, json) = try ConfigLoader.load(ToyConfig.self, reading: "toy", profile: .quick, override: user, seed: 9, root: root)
        #expect(config.training.learningRate == 0.05)
        #expect(config.training.momentum == 0.9)
        #expect(config.seed == 9)
        #expect(json.contains("\"learning_rate\" : 0.05"))
    }

    @Test func unknownKeyIsNamed() throws {
        let root = try makeRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let user = try write(#"{"training": {"learnng_rate": 0.05}}"#, in: root)
        #expect(throws: ConfigError.unknownKey(field: "training.learnng_rate", file: user)) {
            try ConfigLoader.load(ToyConfig.self, reading: "toy", profile: .quick, override: user, seed: nil, root: root)
        }
    }

    @Test func wrongTypeAndInvalidValueAreNamed() throws {
        let root = try makeRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let wrongType = try write(#"{"training": {"batch_size": "large"}}"#, in: root)
        do {
            _ = try ConfigLoader.load(ToyConfig.self, reading: "toy", profile: .quick, override: wrongType, seed: nil, root: root)
            Issue.record("a string batch size was accepted")
        } catch let error as ConfigError {
            #expect(error.description.contains("training.batch_size"))
            #expect(error.description.contains(wrongType))
        }
        let negative = try write(#"{"training": {"learning_rate": -1}}"#, in: root)
        #expect(throws: ConfigError.invalid(field: "training.learning_rate", value: "-1.0", reason: "must be a positive number")) {
            try ConfigLoader.load(ToyConfig.self, reading: "toy", profile: .quick, override: negative, seed: nil, root: root)
        }
        let notJSON = try write("{training", in: root)
        #expect(throws: ConfigError.self) {
            try ConfigLoader.load(ToyConfig.self, reading: "toy", profile: .quick, override: notJSON, seed: nil, root: root)
        }
    }
}
