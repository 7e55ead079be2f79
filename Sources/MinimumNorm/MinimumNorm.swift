import ImplicitRegCore
import ReadingSupport

/// Minimum norm: GD on least squares, Woodworth et al. 2020 (arXiv 2002.09277), Arora et al. 2019 (arXiv 1905.13655).
enum MinimumNorm: Reading {
    typealias Config = PlaceholderConfig
    static let name = "minimum-norm"
    static let abstract = """
        Minimum norm: GD on least squares, Woodworth et al. 2020 (arXiv 2002.09277), Arora et al. 2019 (arXiv 1905.13655).
        Gradient descent's implicit bias toward minimum-norm and low-rank solutions (not built yet).
        """
    static let isBuilt = false
}
