import Foundation
import ImplicitRegCore
import ReadingSupport

/// Zhang et al. 2017 §5, Woodworth et al. 2020, Arora et al. 2019: where gradient descent's
/// implicit bias is a minimum norm, and where it is not.
enum MinimumNorm: Reading {
    typealias Config = MinimumNormConfig
    static let name = "minimum-norm"
    static let abstract = """
        Zhang et al. 2017 §5 (arXiv 1611.03530), Woodworth et al. 2020 (arXiv 2002.09277), Arora et al. 2019 (arXiv 1905.13655).
        GD finds the minimum-ℓ2 interpolant; diagonal nets move from ℓ2 to ℓ1 as α falls; deep factorization beats the nuclear norm.
        """

    static var parts: [String] { Part.allCases.map(\.rawValue) }
    static func part(of point: PointSpec) -> String? { point.part.rawValue }

    /// Least squares, then the diagonal network, then matrix factorization.
    static func points(_ config: Config) -> [PointSpec] {
        LeastSquaresPart.points(config) + DiagonalPart.points(config) + MatrixFactorizationPart.points(config)
    }

    static func label(_ point: PointSpec) -> String { point.name }

    static func seed(of point: PointSpec, config: Config) -> UInt64 { point.seed }

    /// Kernel interpolation reads MNIST-5k; every other experiment is synthetic.
    static func dataSets(for points: [PointSpec], config: Config) -> Set<DataSetName> {
        points.contains { $0.experiment == .kernel } ? [.mnist5k] : []
    }

    static func estimatedCost(_ point: PointSpec, config: Config) -> Double {
        switch point.part {
        case .leastSquares: LeastSquaresPart.estimatedCost(point, config: config)
        case .diagonal: DiagonalPart.estimatedCost(point, config: config)
        case .matrixFactorization: MatrixFactorizationPart.estimatedCost(point, config: config)
        }
    }

    static func runPoint(_ point: PointSpec, config: Config, context: RunContext) throws -> HDF5Document {
        switch point.part {
        case .leastSquares: try LeastSquaresPart.run(point, config: config, context: context)
        case .diagonal: try DiagonalPart.run(point, config: config, context: context)
        case .matrixFactorization: try MatrixFactorizationPart.run(point, config: config, context: context)
        }
    }

    /// Each point's /curves go under /curves/<label>; each part adds its /summary scalars from the
    /// points of that part that are in the grid (all of them, or those of `--part`).
    static func merge(_ points: [(PointSpec, HDF5Document)], config: Config) throws -> HDF5Document {
        var summary = HDF5Document()
        for (point, document) in points {
            summary.merge(document, from: "/curves", into: "/curves/\(point.name)")
        }
        try LeastSquaresPart.summarize(points.filter { $0.0.part == .leastSquares }, config: config, into: &summary)
        try DiagonalPart.summarize(points.filter { $0.0.part == .diagonal }, config: config, into: &summary)
        try MatrixFactorizationPart.summarize(points.filter { $0.0.part == .matrixFactorization }, config: config, into: &summary)
        return summary
    }
}
