import ImplicitRegCore
import ReadingSupport

/// Barrett & Dherin 2021, Implicit Gradient Regularization (arXiv 2009.11162).
enum GradientRegularization: Reading {
    typealias Config = PlaceholderConfig
    static let name = "gradient-regularization"
    static let abstract = """
        Barrett & Dherin 2021, Implicit Gradient Regularization (arXiv 2009.11162).
        Checks that GD follows the gradient flow of L + (h/4)‖∇L‖² (not built yet).
        """
    static let isBuilt = false
}
