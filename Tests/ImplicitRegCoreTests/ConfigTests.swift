import Foundation
import ImplicitRegCore
import Testing

/// Config validation names the offending field; unknown keys are rejected, not ignored.
@Suite("Configuration")
struct ConfigTests {
    @Test(arguments: [
        (TrainingOptions(learningRate: -0.1), "training.learning_rate"),
        (TrainingOptions(batchSize: 5000), "training.batch_size"),
        (TrainingOptions(batchSize: 0), "training.batch_size"),
        (TrainingOptions(epochs: 0), "training.epochs"),
        (TrainingOptions(momentum: 1), "training.momentum"),
        (TrainingOptions(weightDecay: -1), "training.weight_decay"),
        (TrainingOptions(schedule: .init(.step, everySteps: 0)), "training.schedule.every_steps"),
        (TrainingOptions(stopAtTrainAccuracy: 1.5), "training.stop_at_train_accuracy"),
    ])
    func invalidTrainingOptionsNameTheField(options: TrainingOptions, field: String) {
        do {
            try options.validate(field: "training", trainingSetSize: 2000)
            Issue.record("expected \(field) to be rejected")
        } catch let error as ConfigError {
            guard case let .invalid(f, _, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(f == field)
            #expect(error.description.contains(field))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func validOptionsPass() throws {
        try TrainingOptions(batchSize: 2000).validate(field: "training", trainingSetSize: 2000)
    }

    @Test func batchLargerThanSetSaysHowLarge() {
        #expect(throws: ConfigError.invalid(field: "training.batch_size", value: "4096",
                                            reason: "is larger than the training set (2000 examples)")) {
            try TrainingOptions(batchSize: 4096).validate(field: "training", trainingSetSize: 2000)
        }
    }

    @Test func learningRateSchedules() {
        let step = LearningRateSchedule(.step, everySteps: 10, factor: 0.5)
        #expect(step.rate(base: 1, step: 9, totalSteps: 100) == 1)
        #expect(step.rate(base: 1, step: 10, totalSteps: 100) == 0.5)
        #expect(step.rate(base: 1, step: 25, totalSteps: 100) == 0.25)
        let cosine = LearningRateSchedule(.cosine, finalFraction: 0.1)
        #expect(cosine.rate(base: 2, step: 0, totalSteps: 100) == 2)
        #expect(abs(cosine.rate(base: 2, step: 50, totalSteps: 100) - 1.1) < 1e-12)
        #expect(abs(cosine.rate(base: 2, step: 100, totalSteps: 100) - 0.2) < 1e-12)
    }
}
