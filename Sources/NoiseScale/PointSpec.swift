import Foundation
import ImplicitRegCore

/// One logistic-regression λ sweep: a labelling, a training size and a seed.
struct EvidencePoint: Codable, Sendable, Equatable {
    var labeling: Labeling
    var trainSize: Int
    var seed: UInt64

    var name: String { "evidence-\(labeling.rawValue)-n\(trainSize)-seed\(seed)" }
}

/// One network training run of a batch-size sweep.
struct TrainingPoint: Codable, Sendable, Equatable {
    /// The sweep it belongs to.
    var sweep: String
    var dataset: SweepDataset
    var hidden: [Int]
    var epochs: Int
    /// ε.
    var learningRate: Double
    /// m.
    var momentum: Double
    /// N.
    var trainSize: Int
    var weightDecay: Double
    /// B.
    var batchSize: Int
    var seed: UInt64
    /// At least this many parameter updates: the run trains max(E, ⌈U/⌈N/B⌉⌉) epochs, so a large B
    /// is not stopped after a few dozen steps (nil: exactly `epochs`; absent from the JSON then, so
    /// points of configs without it keep their ids).
    var minUpdates: Int? = nil
    /// Evaluations of the training and test sets spread evenly over the run (nil: the end only).
    var evaluations: Int? = nil

    /// The noise scale g = εN/(B(1 − m)) of Smith & Le (the N ≫ B form).
    var noiseScale: Double { learningRate * Double(trainSize) / (Double(batchSize) * (1 - momentum)) }
    /// The exact form ε(N/B − 1)/(1 − m) (sampling without replacement).
    var noiseScaleExact: Double { learningRate * (Double(trainSize) / Double(batchSize) - 1) / (1 - momentum) }
    /// Updates per epoch, ⌈N/B⌉ (the last batch of an epoch may be short).
    var updatesPerEpoch: Int { (trainSize + batchSize - 1) / batchSize }
    /// Epochs the run trains: E, or more to reach `minUpdates`.
    var epochsRun: Int { max(epochs, ((minUpdates ?? 0) + updatesPerEpoch - 1) / updatesPerEpoch) }
    /// Parameter updates: epochs run × ⌈N/B⌉.
    var updates: Int { epochsRun * updatesPerEpoch }
    /// The epochs after which the sets are evaluated: `evaluations` evenly spaced, the last epoch always.
    var evaluationEpochs: [Int] {
        let k = min(max(evaluations ?? 1, 1), epochsRun)
        return Array(Set((1...k).map { ($0 * epochsRun + k - 1) / k })).sorted()
    }

    /// The curve (all of the point but B and the seed), e.g. "lr0.1-m0.9-n1000-wd0".
    var curve: String { "lr\(Self.text(learningRate))-m\(Self.text(momentum))-n\(trainSize)-wd\(Self.text(weightDecay))" }
    var name: String { "\(sweep)-\(curve)-b\(batchSize)-seed\(seed)" }

    /// A short decimal, C's %g ("0.1", "0.001", "0", "1e-05").
    static func text(_ x: Double) -> String { String(format: "%g", x) }
}

/// One point of the grid: an evidence sweep or a training run.
enum PointSpec: Sendable, Equatable {
    case evidence(EvidencePoint)
    case training(TrainingPoint)

    var name: String {
        switch self {
        case let .evidence(e): e.name
        case let .training(t): t.name
        }
    }

    var seed: UInt64 {
        switch self {
        case let .evidence(e): e.seed
        case let .training(t): t.seed
        }
    }
}

extension PointSpec: Codable {
    /// The point's JSON (hashed into its id): `{"evidence": {…}}` or `{"training": {…}}`.
    private enum Key: String, CodingKey { case evidence, training }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case let .evidence(e): try c.encode(e, forKey: .evidence)
        case let .training(t): try c.encode(t, forKey: .training)
        }
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        if let e = try c.decodeIfPresent(EvidencePoint.self, forKey: .evidence) {
            self = .evidence(e)
        } else {
            self = .training(try c.decode(TrainingPoint.self, forKey: .training))
        }
    }
}
