import CLAPACKE

extension Matrix where T == Double {
    /// The minimum-norm least-squares solution x* = A⁺b of min_x ‖Ax − b‖₂ for an m×n A of any
    /// shape and rank: among all minimizers, the one of least ‖x‖₂ (the unique one orthogonal to
    /// the null space of A). For full row rank (m ≤ n) this is the minimum-norm interpolant
    /// x* = Aᵀ(AAᵀ)⁻¹b with Ax* = b; for full column rank (m ≥ n) the ordinary least-squares
    /// solution x* = (AᵀA)⁻¹Aᵀb.
    ///
    /// Computed by LAPACK's SVD-based `dgelsd`: singular values σᵢ ≤ rcond·σ₁ are treated as zero
    /// (their directions are dropped from x), so x* = Σ_{σᵢ > rcond·σ₁} (uᵢᵀb/σᵢ)·vᵢ.
    ///
    /// The default cutoff is rcond = max(m, n)·ε, the one ``pseudoinverse()`` uses (and NumPy's
    /// `lstsq` since 1.14), so that x* = A⁺b exactly as the pseudoinverse defines it. LAPACK's own
    /// rcond = −1 means the cutoff 2⁻⁵³·σ₁ ≈ 1.1e-16·σ₁, which keeps rounding-level singular values
    /// of a numerically rank-deficient A (a computed 6×5 product of rank 2 has σ₃ ≈ 2e-16·σ₁) and
    /// divides by them: the "minimum-norm" solution then has a norm of order 1/ε (6e14 instead of
    /// 0.98 in that case). Pass −1 to get LAPACK's cutoff anyway.
    ///
    /// - Parameters:
    ///   - b: the m right-hand-side entries.
    ///   - rcond: the relative cutoff; nil for max(m, n)·ε (ε = 2⁻⁵² = `Double.ulpOfOne`), negative for LAPACK's 2⁻⁵³.
    /// - Returns: x*, n entries.
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:aRows:aCols:bRows:bCols:)`` if
    ///   b.count ≠ m, ``LinearAlgebraError/nonFinite(operation:operand:row:col:value:)``,
    ///   ``LinearAlgebraError/didNotConverge(routine:info:detail:)``.
    public func minimumNormLeastSquares(_ b: [Double], rcond: Double? = nil) throws(LinearAlgebraError) -> [Double] {
        try minimumNormLeastSquares(Matrix(rows: b.count, cols: 1, storage: b), rcond: rcond).storage
    }

    /// The minimum-norm least-squares solution X* = A⁺B of min_X ‖AX − B‖_F for an m×n A and an
    /// m×r B, column by column (see the vector version); X* is n×r.
    public func minimumNormLeastSquares(_ b: Matrix<Double>, rcond: Double? = nil) throws(LinearAlgebraError) -> Matrix<Double> {
        let operation = "minimumNormLeastSquares"
        guard b.rows == rows else {
            throw .dimensionMismatch(operation: operation, aRows: rows, aCols: cols, bRows: b.rows, bCols: b.cols)
        }
        try requireFinite(operation)
        try b.requireFinite(operation, operand: "b")
        let (m, n) = try lapackShape(operation)
        guard let nrhs = Int32(exactly: b.cols) else {
            throw .tooLarge(operation: operation, rows: b.rows, cols: b.cols)
        }
        // With no equations (m = 0) every x minimizes, and the least-norm one is 0.
        guard rows > 0, cols > 0, b.cols > 0 else { return Matrix(rows: cols, cols: b.cols) }
        var a = storage
        // dgelsd's B is max(m, n)×r: B on entry, X* in its first n rows on exit.
        var x = b.storage + [Double](repeating: 0, count: Swift.max(0, cols - rows) * b.cols)
        var s = [Double](repeating: 0, count: Swift.min(rows, cols))
        let cutoff = rcond ?? Double(Swift.max(rows, cols)) * Double.ulpOfOne
        var rank: Int32 = 0
        let info = a.withUnsafeMutableBufferPointer { pa in
            x.withUnsafeMutableBufferPointer { px in
                s.withUnsafeMutableBufferPointer { ps in
                    LAPACKE_dgelsd(lapackRowMajor, m, n, nrhs, pa.baseAddress, n, px.baseAddress, nrhs,
                                   ps.baseAddress, cutoff, &rank)
                }
            }
        }
        try LAPACKRoutine.dgelsd.check(info)
        return Matrix(rows: cols, cols: b.cols, storage: Array(x[0..<(cols * b.cols)]))
    }

    /// The Moore–Penrose pseudoinverse A⁺ = V·Σ⁺·Uᵀ (n×m) from the thin SVD A = U·Σ·Vᵀ, where
    /// Σ⁺ = diag(1/σᵢ if σᵢ > max(m, n)·ε·σ₁, else 0) — the usual cutoff (as in MATLAB's `pinv`
    /// and NumPy's `lstsq`), which treats singular values at rounding level as exact zeros.
    /// It is the unique X with AXA = A, XAX = X, (AX)ᵀ = AX and (XA)ᵀ = XA.
    public func pseudoinverse() throws(LinearAlgebraError) -> Matrix<Double> {
        let d = try svd()
        let k = d.singularValues.count
        guard k > 0 else { return Matrix(rows: cols, cols: rows) }
        let cutoff = Double(Swift.max(rows, cols)) * Double.ulpOfOne * d.singularValues[0]
        let inverses = d.singularValues.map { $0 > cutoff ? 1 / $0 : 0 }
        var us = d.u  // U·Σ⁺, m×k
        for i in 0..<rows {
            for j in 0..<k { us.storage[i * k + j] *= inverses[j] }
        }
        return Matrix.product(d.vt, transposed: true, us, transposed: true)
    }
}
