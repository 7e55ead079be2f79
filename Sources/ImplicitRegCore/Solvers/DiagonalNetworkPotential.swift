import RealModule

/// The potential of Woodworth et al. 2020 (arXiv 2002.09277) for a depth-D diagonal network
/// β = w₊^D − w₋^D from w±(0) = α·1: gradient flow's interpolating limit is argmin Q_α^D(β) s.t.
/// Xβ = y, with Q_α^D(β) = α^D Σᵢ q_D(βᵢ/α^D) and q_D = ∫ h_D⁻¹, where the limit has the form
/// β = α^D h_D(Xᵀν):
/// - D = 2: h(t) = 2 sinh t, H(t) = 2 cosh t − 2, q(z) = 2 − √(4+z²) + z·arcsinh(z/2);
/// - D ≥ 3, p = D/(D−2): h_D(t) = (1−t)^{−p} − (1+t)^{−p} on (−1, 1),
///   H_D(t) = ((D−2)/2)[(1−t)^{−2/(D−2)} + (1+t)^{−2/(D−2)} − 2] (H_D′ = h_D, H_D(0) = 0).
public struct DiagonalNetworkPotential: Sendable, Equatable {
    /// Depth D ≥ 2.
    public let depth: Int

    public init(depth: Int) {
        precondition(depth >= 2, "the diagonal network needs depth D ≥ 2")
        self.depth = depth
    }

    /// p = D/(D − 2) (D ≥ 3).
    var p: Double { Double(depth) / Double(depth - 2) }

    /// The domain of t: ℝ for D = 2, (−1, 1) otherwise.
    public func inDomain(_ t: Double) -> Bool { depth == 2 ? t.isFinite : Swift.abs(t) < 1 }

    /// h_D(t), the link β/α^D = h_D(t).
    @inlinable public func h(_ t: Double) -> Double {
        if depth == 2 { return 2 * Double.sinh(t) }
        let p = Double(depth) / Double(depth - 2)
        return Double.pow(1 - t, -p) - Double.pow(1 + t, -p)
    }

    /// h_D′(t) > 0.
    @inlinable public func hPrime(_ t: Double) -> Double {
        if depth == 2 { return 2 * Double.cosh(t) }
        let p = Double(depth) / Double(depth - 2)
        return p * (Double.pow(1 - t, -p - 1) + Double.pow(1 + t, -p - 1))
    }

    /// H_D(t) = ∫₀ᵗ h_D (convex, H_D(0) = 0); +∞ outside the domain.
    @inlinable public func bigH(_ t: Double) -> Double {
        if depth == 2 {
            let s = Double.sinh(t / 2)
            return 4 * s * s  // = 2 cosh t − 2, without cancellation at small t
        }
        guard Swift.abs(t) < 1 else { return .infinity }
        let e = -2 / Double(depth - 2)
        return Double(depth - 2) / 2 * (Double.pow(1 - t, e) + Double.pow(1 + t, e) - 2)
    }

    /// h_D⁻¹(z): closed form for D = 2 (arcsinh(z/2)), bisection on (−1, 1) otherwise.
    public func hInverse(_ z: Double) -> Double {
        if depth == 2 { return Double.asinh(z / 2) }
        if z == 0 { return 0 }
        var lo = 0.0, hi = 1.0
        let target = Swift.abs(z)
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if mid == lo || mid == hi { break }
            if h(mid) < target { lo = mid } else { hi = mid }
        }
        return z < 0 ? -0.5 * (lo + hi) : 0.5 * (lo + hi)
    }

    /// q_D(z) = z·t − H_D(t) with t = h_D⁻¹(z) (the convex conjugate of H_D).
    public func q(_ z: Double) -> Double {
        if depth == 2 { return 2 - (4 + z * z).squareRoot() + z * Double.asinh(z / 2) }
        let t = hInverse(z)
        return z * t - bigH(t)
    }

    /// Q_α^D(β) = α^D Σᵢ q_D(βᵢ/α^D).
    public func Q(_ beta: [Double], alpha: Double) -> Double {
        let s = Double.pow(alpha, Double(depth))
        return s * beta.reduce(0) { $0 + q($1 / s) }
    }
}
