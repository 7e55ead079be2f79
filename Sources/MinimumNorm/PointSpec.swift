import Foundation
import ImplicitRegCore
import ReadingSupport

/// The three parts of the grid (`--part`).
enum Part: String, Codable, Sendable, CaseIterable {
    case leastSquares = "least-squares"
    case diagonal
    case matrixFactorization = "matrix-factorization"
}

/// What a point runs.
enum Experiment: String, Codable, Sendable {
    /// GD and SGD from 0 and from w₀ on a Gaussian least-squares instance.
    case gaussian
    /// RBF kernel interpolation on MNIST-5k with one bandwidth.
    case kernel
    /// GD on the diagonal network at one depth and α, against the reference solvers.
    case diagonalGD = "diagonal-gd"
    /// The Q_α^D minimiser on a fine α grid, per depth.
    case transition
    /// Noisy sparse recovery (population error vs α).
    case recovery
    /// D = 2 at the recovery threshold.
    case threshold
    /// Width-k diagonal networks from Gaussian init: closed-form limits over α per width, and GD.
    case width = "diagonal-width"
    /// Unbalanced initialisation shapes at one α: closed-form limits and GD.
    case shape = "diagonal-shape"
    /// Minimum nuclear norm completion of one instance.
    case nuclear
    /// GD on a deep factorization of one instance at one depth and init.
    case factorization
    /// The singular-value ODE check.
    case dynamics = "sv-dynamics"
    /// One completion instance with m observed entries: minimum nuclear norm and every depth.
    case completionCurve = "completion-curve"
}

/// One point of the grid: an experiment with exactly the fields it uses.
enum PointSpec: Sendable, Equatable {
    case gaussian(seed: UInt64)
    case kernel(bandwidthFactor: Double, seed: UInt64)
    case diagonalGD(depth: Int, alpha: Double, seed: UInt64)
    case transition(seed: UInt64)
    case recovery(seed: UInt64)
    case threshold(seed: UInt64)
    case width(seed: UInt64)
    case shape(seed: UInt64)
    /// `instance`: index into matrix_factorization.instances.
    case nuclear(instance: Int, seed: UInt64)
    /// `initNorm`: ‖W(0)‖_F.
    case factorization(instance: Int, depth: Int, initNorm: Double, seed: UInt64)
    case dynamics(seed: UInt64)
    /// `observed`: m, the number of observed entries.
    case completionCurve(observed: Int, seed: UInt64)

    var experiment: Experiment {
        switch self {
        case .gaussian: .gaussian
        case .kernel: .kernel
        case .diagonalGD: .diagonalGD
        case .transition: .transition
        case .recovery: .recovery
        case .threshold: .threshold
        case .width: .width
        case .shape: .shape
        case .nuclear: .nuclear
        case .factorization: .factorization
        case .dynamics: .dynamics
        case .completionCurve: .completionCurve
        }
    }

    var part: Part {
        switch self {
        case .gaussian, .kernel: .leastSquares
        case .diagonalGD, .transition, .recovery, .threshold, .width, .shape: .diagonal
        case .nuclear, .factorization, .dynamics, .completionCurve: .matrixFactorization
        }
    }

    var seed: UInt64 {
        switch self {
        case let .gaussian(seed), let .kernel(_, seed), let .diagonalGD(_, _, seed), let .transition(seed), let .recovery(seed),
             let .threshold(seed), let .width(seed), let .shape(seed), let .nuclear(_, seed), let .factorization(_, _, _, seed), let .dynamics(seed),
             let .completionCurve(_, seed): seed
        }
    }

    /// The matrix-completion instance of a nuclear or factorization point.
    var instance: Int? {
        switch self {
        case let .nuclear(instance, _), let .factorization(instance, _, _, _): instance
        default: nil
        }
    }

    /// A short, unique name; also the group of its curves in the summary.
    var name: String {
        switch self {
        case let .gaussian(seed): "ls-gaussian-seed\(seed)"
        case let .kernel(c, _): "ls-kernel-c\(Self.format(c))"
        case let .diagonalGD(depth, alpha, _): "diag-gd-D\(depth)-alpha\(Self.format(alpha))"
        case .transition: "diag-transition"
        case let .recovery(seed): "diag-recovery-seed\(seed)"
        case .threshold: "diag-threshold"
        case let .width(seed): "diag-width-seed\(seed)"
        case let .shape(seed): "diag-shape-seed\(seed)"
        case let .nuclear(i, seed): "mf-i\(i)-seed\(seed)-nuclear"
        case let .factorization(i, depth, initNorm, seed): "mf-i\(i)-seed\(seed)-depth\(depth)-init\(Self.format(initNorm))"
        case .dynamics: "mf-sv-dynamics"
        case let .completionCurve(m, seed): "mf-curve-m\(m)-seed\(seed)"
        }
    }

    /// 1e-3, 0.5, 10 as short text.
    static func format(_ x: Double) -> String {
        if x >= 1e-2 && x < 1e3 { return x == x.rounded() ? String(Int(x)) : String(x) }
        let e = Int((log10(x)).rounded(.down))
        let m = x / pow(10, Double(e))
        return abs(m - 1) < 1e-9 ? "1e\(e)" : "\(m)e\(e)"
    }
}

extension PointSpec: Codable {
    /// The point's JSON (hashed into its id): part, experiment, seed and the fields the experiment
    /// uses, as the flat record the grid has always written.
    private struct Fields: Codable {
        var part: Part
        var experiment: Experiment
        var seed: UInt64
        var bandwidthFactor: Double?
        var depth: Int?
        var alpha: Double?
        var instance: Int?
        var initNorm: Double?
        var observed: Int?
    }

    private var fields: Fields {
        var f = Fields(part: part, experiment: experiment, seed: seed)
        switch self {
        case let .kernel(c, _): f.bandwidthFactor = c
        case let .diagonalGD(depth, alpha, _): (f.depth, f.alpha) = (depth, alpha)
        case let .nuclear(i, _): f.instance = i
        case let .factorization(i, depth, initNorm, _): (f.instance, f.depth, f.initNorm) = (i, depth, initNorm)
        case let .completionCurve(m, _): f.observed = m
        case .gaussian, .transition, .recovery, .threshold, .width, .shape, .dynamics: break
        }
        return f
    }

    func encode(to encoder: Encoder) throws { try fields.encode(to: encoder) }

    init(from decoder: Decoder) throws {
        let f = try Fields(from: decoder)
        func need<T>(_ value: T?, _ name: String) throws -> T {
            guard let value else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a \(f.experiment.rawValue) point needs \(name)"))
            }
            return value
        }
        switch f.experiment {
        case .gaussian: self = .gaussian(seed: f.seed)
        case .kernel: self = .kernel(bandwidthFactor: try need(f.bandwidthFactor, "bandwidthFactor"), seed: f.seed)
        case .diagonalGD: self = .diagonalGD(depth: try need(f.depth, "depth"), alpha: try need(f.alpha, "alpha"), seed: f.seed)
        case .transition: self = .transition(seed: f.seed)
        case .recovery: self = .recovery(seed: f.seed)
        case .threshold: self = .threshold(seed: f.seed)
        case .width: self = .width(seed: f.seed)
        case .shape: self = .shape(seed: f.seed)
        case .nuclear: self = .nuclear(instance: try need(f.instance, "instance"), seed: f.seed)
        case .factorization:
            self = .factorization(instance: try need(f.instance, "instance"), depth: try need(f.depth, "depth"),
                                  initNorm: try need(f.initNorm, "initNorm"), seed: f.seed)
        case .dynamics: self = .dynamics(seed: f.seed)
        case .completionCurve: self = .completionCurve(observed: try need(f.observed, "observed"), seed: f.seed)
        }
        guard fields.part == f.part else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a \(f.experiment.rawValue) point is in part \(part.rawValue), not \(f.part.rawValue)"))
        }
    }
}
