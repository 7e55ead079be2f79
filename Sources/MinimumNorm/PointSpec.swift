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
    /// Minimum nuclear norm completion of one instance.
    case nuclear
    /// GD on a deep factorization of one instance at one depth and init.
    case factorization
    /// The singular-value ODE check.
    case dynamics = "sv-dynamics"
}

/// One point of the grid; the fields an experiment does not use are nil.
struct PointSpec: Codable, Sendable, Equatable {
    var part: Part
    var experiment: Experiment
    var seed: UInt64
    var bandwidthFactor: Double?
    var depth: Int?
    var alpha: Double?
    /// Index into matrix_factorization.instances.
    var instance: Int?
    /// ‖W(0)‖_F.
    var initNorm: Double?

    /// A short, unique name; also the group of its curves in the summary.
    var name: String {
        switch experiment {
        case .gaussian: "ls-gaussian-seed\(seed)"
        case .kernel: "ls-kernel-c\(Self.format(bandwidthFactor ?? 0))"
        case .diagonalGD: "diag-gd-D\(depth ?? 0)-alpha\(Self.format(alpha ?? 0))"
        case .transition: "diag-transition"
        case .recovery: "diag-recovery-seed\(seed)"
        case .threshold: "diag-threshold"
        case .nuclear: "mf-i\(instance ?? 0)-seed\(seed)-nuclear"
        case .factorization: "mf-i\(instance ?? 0)-seed\(seed)-depth\(depth ?? 0)-init\(Self.format(initNorm ?? 0))"
        case .dynamics: "mf-sv-dynamics"
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

extension HDF5Document {
    /// A matrix as a 2-D float64 dataset.
    mutating func addMatrix(_ path: String, _ m: Matrix<Double>, units: String, description: String) {
        addDataset(path, .double(m.storage), shape: [m.rows, m.cols], units: units, description: description)
    }

    /// A vector as a 1-D float64 dataset.
    mutating func addVector(_ path: String, _ v: [Double], units: String, description: String) {
        addDataset(path, .double(v), units: units, description: description)
    }
}
