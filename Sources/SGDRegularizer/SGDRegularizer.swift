import ImplicitRegCore
import ReadingSupport

/// Smith, Dherin, Barrett & De 2021, On the Origin of Implicit Regularization in SGD (arXiv 2101.12176).
enum SGDRegularizer: Reading {
    typealias Config = PlaceholderConfig
    static let name = "sgd-regularizer"
    static let abstract = """
        Smith, Dherin, Barrett & De 2021, On the Origin of Implicit Regularization in SGD (arXiv 2101.12176).
        Checks that SGD follows C + (ε/4m)Σₖ‖∇Ĉₖ‖² and that the explicit regulariser closes the large-batch gap (not built yet).
        """
    static let isBuilt = false
}
