/// The minimum-nuclear-norm completion of a partially observed matrix with its dual certificate.
public struct NuclearNormCompletion: Sendable {
    /// Z with Z_Ω = M_Ω exactly and least ‖Z‖_*.
    public var solution: Matrix<Double>
    /// The certificate Y (zero off Ω): ‖Y‖_op ≤ 1 and ⟨Y, Z⟩ = ‖Z‖_* prove that every W with
    /// W_Ω = M_Ω has ‖W‖_* ≥ ⟨Y, W⟩ = ⟨Y, Z⟩ = ‖Z‖_*.
    public var certificate: Matrix<Double>
    /// ‖Z‖_*.
    public var nuclearNorm: Double
    /// ‖Y‖_op.
    public var certificateSpectralNorm: Double
    /// |⟨Y, Z⟩ − ‖Z‖_*| / ‖Z‖_*.
    public var dualityGap: Double
    /// ADMM iterations.
    public var iterations: Int
}

extension Matrix where T == Double {
    /// min ‖Z‖_* s.t. Z_Ω = M_Ω, with Ω = `observed` (linear indices r·cols + c) and M_Ω = `values`,
    /// by ADMM with singular-value thresholding (not plain SVT, whose answer is biased by O(1/τ)):
    /// Z = P_Ω(M), U = 0, ρ = 10/‖P_Ω(M)‖_op;
    ///     X ← SVT_{1/ρ}(Z − U),  Z ← X + U then Z_Ω ← M_Ω,  U ← U + X − Z,
    /// until ‖X − Z‖_F and ρ‖ΔZ‖_F are ≤ `tolerance`·‖M_Ω‖. The certificate Y = −ρU must pass
    /// ‖Y‖_op ≤ 1 + 1e-6 and |⟨Y, Z⟩ − ‖Z‖_*| ≤ 1e-6‖Z‖_*, else ``SolverCertificateError``.
    /// Instances near the recovery threshold (m ≈ 1.5–2.5× the degrees of freedom) can need over
    /// 20,000 iterations to certify; the cap is 400,000 (the loop stops at the tolerance, so easy
    /// instances are unaffected).
    public static func minimumNuclearNormCompletion(rows: Int, cols: Int, observed: [Int], values: [Double],
                                                    tolerance: Double = 1e-9, maxIterations: Int = 400_000) throws -> NuclearNormCompletion {
        precondition(observed.count == values.count, "one value per observed entry")
        let name = "minimumNuclearNormCompletion"
        var z = Matrix<Double>(rows: rows, cols: cols)
        for (k, i) in observed.enumerated() { z.storage[i] = values[k] }
        let mNorm = z.frobeniusNorm
        let rho = 10 / Swift.max(try z.spectralNorm(), 1e-300)
        var u = Matrix<Double>(rows: rows, cols: cols)
        var iterations = 0
        let count = rows * cols
        while iterations < maxIterations {
            iterations += 1
            var a = z
            for i in 0..<count { a.storage[i] -= u.storage[i] }
            var svd = try a.svd()
            svd.singularValues = svd.singularValues.map { Swift.max($0 - 1 / rho, 0) }
            let x = svd.reconstructed
            var znew = x
            for i in 0..<count { znew.storage[i] += u.storage[i] }
            for (k, i) in observed.enumerated() { znew.storage[i] = values[k] }
            var primal = 0.0, dual = 0.0
            for i in 0..<count {
                let r = x.storage[i] - znew.storage[i]
                u.storage[i] += r
                primal += r * r
                let dz = znew.storage[i] - z.storage[i]
                dual += dz * dz
            }
            z = znew
            if primal.squareRoot() <= tolerance * mNorm, rho * dual.squareRoot() <= tolerance * mNorm { break }
        }
        var y = u
        for i in 0..<count { y.storage[i] *= -rho }
        let nuclear = try z.nuclearNorm()
        let yNorm = try y.spectralNorm()
        var inner = 0.0
        for i in 0..<count { inner += y.storage[i] * z.storage[i] }
        let gap = Swift.abs(inner - nuclear) / Swift.max(nuclear, 1e-300)
        try SolverCertificateError.require(name, "‖Y‖_op (dual feasibility)", yNorm, 1 + 1e-6, iterations: iterations)
        try SolverCertificateError.require(name, "|⟨Y, Z⟩ − ‖Z‖_*|/‖Z‖_*", gap, 1e-6, iterations: iterations)
        return NuclearNormCompletion(solution: z, certificate: y, nuclearNorm: nuclear, certificateSpectralNorm: yNorm,
                                     dualityGap: gap, iterations: iterations)
    }
}
