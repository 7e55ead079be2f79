import RealModule

/// The Laplace approximation of a model's log evidence (marginal likelihood) under an isotropic
/// Gaussian prior N(0, λ⁻¹I) on its p parameters (MacKay 1992; Smith & Le 2018, §2):
///
///     P(y | x) = ∫ e^{−H(ω)} (λ/2π)^{p/2} e^{−λ‖ω‖²/2} dω ≈ exp{−[C(ω₀) + ½ Σᵢ ln(λᵢ/λ)]},
///
/// with H the summed negative log-likelihood, C(ω) = H(ω) + (λ/2)‖ω‖², ω₀ = argmin C and λᵢ the
/// eigenvalues of ∇²C(ω₀) (which contains λI). The Gaussian integral gives (2π)^{p/2} det(∇²C)^{−1/2};
/// the prior's normaliser turns it into Πᵢ (λ/λᵢ)^{1/2}. Exact when H is quadratic.
public struct LaplaceEvidence: Sendable, Equatable {
    /// ln P ≈ −C(ω₀) − ½(ln det ∇²C(ω₀) − p ln λ), nats.
    public var logEvidence: Double
    /// The log Occam factor −½ Σᵢ ln(λᵢ/λ) = −½(ln det ∇²C − p ln λ) ≤ 0, nats.
    public var logOccamFactor: Double
    /// ln det ∇²C(ω₀) (Cholesky, Double).
    public var logDeterminant: Double

    /// The approximation from the minimum's summed cost C(ω₀) and Hessian ∇²C(ω₀) (p×p, with λI).
    ///
    /// - Throws: ``LinearAlgebraError/notPositiveDefinite(routine:minorOrder:)`` if the Hessian is
    ///   not positive definite (not a minimum), and what ``Matrix/cholesky(tolerance:)`` throws.
    public init(cost: Double, hessian: Matrix<Double>, priorPrecision lambda: Double) throws(LinearAlgebraError) {
        precondition(lambda > 0, "the prior precision λ must be positive")
        let logDet = try hessian.logDeterminantSPD()
        logDeterminant = logDet
        logOccamFactor = -0.5 * (logDet - Double(hessian.rows) * Double.log(lambda))
        logEvidence = -cost + logOccamFactor
    }

    /// ln P₀ = −n ln K of the null model that gives each of K classes probability 1/K on n examples.
    public static func nullModelLogEvidence(examples n: Int, classes k: Int) -> Double {
        -Double(n) * Double.log(Double(k))
    }
}
