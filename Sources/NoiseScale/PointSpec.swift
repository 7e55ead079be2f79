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

    /// The noise scale g = εN/(B(1 − m)) of Smith & Le (the N ≫ B form).
    var noiseScale: Double { learningRate * Double(trainSize) / (Double(batchSize) * (1 - momentum)) }
    /// The exact form ε(N/B − 1)/(1 − m) (sampling without replacement).
    var noiseScaleExact: Double { learningRate * (Double(trainSize) / Double(batchSize) - 1) / (1 - momentum) }
    /// Parameter updates: E·⌈N/B⌉.
    var updates: Int { epochs * ((trainSize + batchSize - 1) / batchSize) }

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
