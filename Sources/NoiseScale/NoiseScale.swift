import ImplicitRegCore
import ReadingSupport

/// Smith & Le 2018, A Bayesian Perspective on Generalization and SGD (arXiv 1710.06451).
enum NoiseScale: Reading {
    typealias Config = PlaceholderConfig
    static let name = "noise-scale"
    static let abstract = """
        Smith & Le 2018, A Bayesian Perspective on Generalization and SGD (arXiv 1710.06451).
        Bayesian evidence vs generalization; SGD noise scale g = εN/B(1−m) and the optimal batch size (not built yet).
        """
    static let isBuilt = false
}
