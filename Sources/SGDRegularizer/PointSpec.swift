import ImplicitRegCore

/// One point of the grid: one exact experiment (neither `.explicitRegularizer` nor
/// `.learningRateGrid`), one run of the explicit-regulariser comparison, or one cell of the ε × B grid.
enum PointSpec: Sendable, Equatable {
    case experiment(Experiment)
    case explicitRegularizer(RegularizerRun)
    case learningRateGrid(GridRun)

    var experiment: Experiment {
        switch self {
        case let .experiment(e): e
        case .explicitRegularizer: .explicitRegularizer
        case .learningRateGrid: .learningRateGrid
        }
    }

    var name: String {
        switch self {
        case let .experiment(e): e.rawValue
        case let .explicitRegularizer(run): run.name
        case let .learningRateGrid(run): run.name
        }
    }
}

/// One run of the explicit-regulariser comparison: a method, clean or noisy labels, a seed.
struct RegularizerRun: Sendable, Equatable {
    var method: TrainingMethod
    var noisyLabels: Bool
    var seed: UInt64

    var name: String { "\(method.rawValue)-\(noisyLabels ? "noisy" : "clean")-seed\(seed)" }
}

/// One cell of the ε × B grid, for one seed.
struct GridRun: Sendable, Equatable {
    var learningRate: Double
    var batchSize: Int
    var seed: UInt64

    var name: String { String(format: "grid-b%d-lr%g-seed%llu", batchSize, learningRate, seed) }
}

extension PointSpec: Codable {
    /// The point's JSON (hashed into its id): the experiment and the fields of its run, nil ones left out.
    private struct Fields: Codable {
        var experiment: Experiment
        var method: TrainingMethod?
        var noisyLabels: Bool?
        var seed: UInt64?
        var learningRate: Double?
        var batchSize: Int?
    }

    func encode(to encoder: Encoder) throws {
        let fields = switch self {
        case let .experiment(e): Fields(experiment: e)
        case let .explicitRegularizer(r): Fields(experiment: .explicitRegularizer, method: r.method, noisyLabels: r.noisyLabels, seed: r.seed)
        case let .learningRateGrid(r): Fields(experiment: .learningRateGrid, seed: r.seed, learningRate: r.learningRate, batchSize: r.batchSize)
        }
        try fields.encode(to: encoder)
    }

    init(from decoder: Decoder) throws {
        let f = try Fields(from: decoder)
        func missing() -> DecodingError {
            .dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a \(f.experiment.rawValue) point lacks one of its fields"))
        }
        switch f.experiment {
        case .explicitRegularizer:
            guard let method = f.method, let noisy = f.noisyLabels, let seed = f.seed else { throw missing() }
            self = .explicitRegularizer(RegularizerRun(method: method, noisyLabels: noisy, seed: seed))
        case .learningRateGrid:
            guard let ε = f.learningRate, let b = f.batchSize, let seed = f.seed else { throw missing() }
            self = .learningRateGrid(GridRun(learningRate: ε, batchSize: b, seed: seed))
        default:
            self = .experiment(f.experiment)
        }
    }
}
