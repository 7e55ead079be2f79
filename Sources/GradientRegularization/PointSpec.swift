import ImplicitRegCore
import ReadingSupport

/// One point of the grid: one exact-numerics experiment (any but `.mnist`), or one MNIST run.
enum PointSpec: Sendable, Equatable {
    case experiment(Experiment)
    case mnist(MNISTRun)

    var experiment: Experiment {
        switch self {
        case let .experiment(e): e
        case .mnist: .mnist
        }
    }

    var name: String {
        switch self {
        case let .experiment(e): e.rawValue
        case let .mnist(run): run.name
        }
    }
}

/// One MNIST run: GD with step size h, optionally with the explicit term, from the seed's start.
struct MNISTRun: Sendable, Equatable {
    var stepSize: Double
    var explicit: ExplicitRun?
    var seed: UInt64

    var name: String {
        if let e = explicit { return String(format: "mnist-egr-h%g-matching-h%g-seed%llu", stepSize, e.matchedStepSize, seed) }
        return String(format: "mnist-h%g-seed%llu", stepSize, seed)
    }
}

extension PointSpec: Codable {
    /// The point's JSON (hashed into its id): the experiment, and for an MNIST run its step size,
    /// explicit term (if any) and seed.
    private struct Fields: Codable {
        var experiment: Experiment
        var stepSize: Double?
        var explicit: ExplicitRun?
        var seed: UInt64?
    }

    func encode(to encoder: Encoder) throws {
        switch self {
        case let .experiment(e): try Fields(experiment: e).encode(to: encoder)
        case let .mnist(r): try Fields(experiment: .mnist, stepSize: r.stepSize, explicit: r.explicit, seed: r.seed).encode(to: encoder)
        }
    }

    init(from decoder: Decoder) throws {
        let f = try Fields(from: decoder)
        guard f.experiment == .mnist else {
            self = .experiment(f.experiment)
            return
        }
        guard let h = f.stepSize, let seed = f.seed else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "an mnist point needs stepSize and seed"))
        }
        self = .mnist(MNISTRun(stepSize: h, explicit: f.explicit, seed: seed))
    }
}
