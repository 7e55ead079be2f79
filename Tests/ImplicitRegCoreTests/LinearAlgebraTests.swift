import Foundation
import ImplicitRegCore
import Testing

/// Every solver against a case with a known answer: hand-built spectra, closed forms computed
/// independently (normal equations, Aᵀ(AAᵀ)⁻¹b through `solve`), and the defining identities
/// (reconstruction, orthonormality, Moore–Penrose conditions, A·v = λ·v).
@Suite("LinearAlgebra")
struct LinearAlgebraTests {
    // MARK: Helpers

    /// An m×n matrix of standard normals from the test stream.
    static func randomMatrix(_ m: Int, _ n: Int, _ rng: inout Xoshiro256StarStar) -> Matrix<Double> {
        Matrix(rows: m, cols: n, storage: (0..<(m * n)).map { _ in rng.nextNormal() })
    }

    /// The n×n Householder reflection I − 2vvᵀ/(vᵀv).
    static func householder(_ v: [Double]) -> Matrix<Double> {
        let n = v.count
        let vv = v.reduce(0) { $0 + $1 * $1 }
        var h = Matrix<Double>.identity(n)
        for i in 0..<n { for j in 0..<n { h[i, j] -= 2 * v[i] * v[j] / vv } }
        return h
    }

    /// The n×n rotation by θ in the (i, j) plane.
    static func rotation(_ n: Int, _ i: Int, _ j: Int, _ theta: Double) -> Matrix<Double> {
        var g = Matrix<Double>.identity(n)
        g[i, i] = cos(theta); g[j, j] = cos(theta)
        g[i, j] = -sin(theta); g[j, i] = sin(theta)
        return g
    }

    static func diagonal(_ d: [Double]) -> Matrix<Double> {
        var m = Matrix<Double>(rows: d.count, cols: d.count)
        for i in d.indices { m[i, i] = d[i] }
        return m
    }

    static func difference(_ a: Matrix<Double>, _ b: Matrix<Double>) -> Double {
        precondition(a.rows == b.rows && a.cols == b.cols)
        return zip(a.storage, b.storage).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    }

    /// ‖a − b‖_F / ‖b‖_F.
    static func relative(_ a: Matrix<Double>, _ b: Matrix<Double>) -> Double {
        difference(a, b) / max(b.frobeniusNorm, .leastNormalMagnitude)
    }

    static func norm(_ x: [Double]) -> Double { x.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    static func distance(_ x: [Double], _ y: [Double]) -> Double { norm(zip(x, y).map { $0 - $1 }) }

    static func dot(_ x: [Double], _ y: [Double]) -> Double { zip(x, y).reduce(0) { $0 + $1.0 * $1.1 } }

    /// ‖MᵀM − I‖_F (orthonormal columns of M).
    static func columnOrthonormalityError(_ m: Matrix<Double>) -> Double {
        difference(Matrix.product(m, transposed: true, m), .identity(m.cols))
    }

    // MARK: SVD

    @Test func svdRecoversHandMadeSingularValues() throws {
        // A = H·diag(3, 2, 1)·Gᵀ with a Householder reflection H and a product of rotations G.
        let h = Self.householder([1, 2, 2])
        let g = Matrix.product(Self.rotation(3, 0, 1, 0.7), Self.rotation(3, 1, 2, -1.3))
        let a = Matrix.product(Matrix.product(h, Self.diagonal([3, 2, 1])), transposed: false, g, transposed: true)
        let d = try a.svd()
        #expect(Self.distance(d.singularValues, [3, 2, 1]) < 1e-14)
        #expect(Self.distance(try a.singularValues(), [3, 2, 1]) < 1e-14)
        // Each singular vector is ± the known one.
        for i in 0..<3 {
            let ui = (0..<3).map { d.u[$0, i] }, hi = (0..<3).map { h[$0, i] }
            #expect(abs(abs(Self.dot(ui, hi)) - 1) < 1e-13)
        }

        // A 4×3 diagonal with permuted rows and a zero row: σ = 3, 2, 1 exactly.
        let p = Matrix<Double>(rows: 4, cols: 3, storage: [0, 0, 2,
                                                           0, 0, 0,
                                                           1, 0, 0,
                                                           0, 3, 0])
        #expect(try p.singularValues() == [3, 2, 1])
        #expect(Self.relative(try p.svd().reconstructed, p) < 1e-15)
    }

    @Test(arguments: [(7, 4), (4, 7), (5, 5)])
    func svdReconstructsRandomMatrices(shape: (Int, Int)) throws {
        var rng = RandomStreams(seed: 1).stream("test")
        let (m, n) = shape
        let a = Self.randomMatrix(m, n, &rng)
        let d = try a.svd()
        let k = min(m, n)
        #expect(d.u.rows == m && d.u.cols == k && d.vt.rows == k && d.vt.cols == n)
        #expect(d.singularValues.count == k)
        #expect(zip(d.singularValues, d.singularValues.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(d.singularValues.last! > 0)
        #expect(Self.relative(d.reconstructed, a) < 1e-12)
        #expect(Self.columnOrthonormalityError(d.u) < 1e-12)
        #expect(Self.columnOrthonormalityError(d.vt.transposed) < 1e-12)
        #expect(Self.distance(try a.singularValues(), d.singularValues) < 1e-12 * d.singularValues[0])
        // ‖A‖_F² = Σσ².
        #expect(abs(d.singularValues.reduce(0) { $0 + $1 * $1 } - a.frobeniusNorm * a.frobeniusNorm)
                < 1e-12 * a.frobeniusNorm * a.frobeniusNorm)
    }

    @Test func normsAndEffectiveRank() throws {
        let d110 = Self.diagonal([1, 1, 0]), d100 = Self.diagonal([1, 0, 0])
        #expect(abs(try d110.nuclearNorm() - 2) < 1e-15)
        #expect(abs(try d110.spectralNorm() - 1) < 1e-15)
        #expect(abs(try d110.effectiveRank() - 2) < 1e-14)
        #expect(abs(try d100.effectiveRank() - 1) < 1e-15)
        #expect(abs(try Self.diagonal([2, 2, 2, 2]).effectiveRank() - 4) < 1e-13)
        #expect(try Matrix<Double>(rows: 3, cols: 2).effectiveRank() == 0)

        // Norms are invariant under orthogonal factors: A = H·diag(3, 2, 1)·G.
        let h = Self.householder([1, -1, 3])
        let a = Matrix.product(Matrix.product(h, Self.diagonal([3, 2, 1])), Self.rotation(3, 0, 2, 0.4))
        #expect(abs(try a.nuclearNorm() - 6) < 1e-13)
        #expect(abs(try a.spectralNorm() - 3) < 1e-14)
        let p = [3.0, 2, 1].map { $0 / 6 }
        let erank = exp(-p.reduce(0) { $0 + $1 * log($1) })
        #expect(abs(try a.effectiveRank() - erank) < 1e-13)
    }

    // MARK: Least squares and pseudoinverse

    @Test func underdeterminedLeastSquaresIsTheMinimumNormInterpolant() throws {
        var rng = RandomStreams(seed: 1).stream("test")
        let a = Self.randomMatrix(3, 5, &rng)
        let b = (0..<3).map { _ in rng.nextNormal() }
        let x = try a.minimumNormLeastSquares(b)
        #expect(x.count == 5)

        // Independently: x* = Aᵀ(AAᵀ)⁻¹b.
        let gram = Matrix.product(a, transposed: false, a, transposed: true)
        let reference = a.times(try gram.solve(b), transposed: true)
        #expect(Self.distance(x, reference) < 1e-12 * Self.norm(reference))
        // It interpolates …
        #expect(Self.distance(a.times(x), b) < 1e-12 * Self.norm(b))
        // … and is orthogonal to the null space: z − Aᵀ(AAᵀ)⁻¹Az spans it as z varies.
        for _ in 0..<3 {
            let z = (0..<5).map { _ in rng.nextNormal() }
            let projection = a.times(try gram.solve(a.times(z)), transposed: true)
            let null = zip(z, projection).map { $0 - $1 }
            #expect(Self.norm(a.times(null)) < 1e-12 * Self.norm(z))
            #expect(abs(Self.dot(x, null)) < 1e-12 * Self.norm(x) * Self.norm(null))
            // Hence every other interpolant x* + n is longer.
            #expect(Self.norm(zip(x, null).map { $0 + $1 }) > Self.norm(x))
        }
    }

    @Test func overdeterminedLeastSquaresMatchesNormalEquations() throws {
        var rng = RandomStreams(seed: 1).stream("test")
        let a = Self.randomMatrix(9, 4, &rng)
        let b = (0..<9).map { _ in rng.nextNormal() }
        let x = try a.minimumNormLeastSquares(b)
        let normal = try Matrix.product(a, transposed: true, a).solve(a.times(b, transposed: true))
        #expect(Self.distance(x, normal) < 1e-12 * Self.norm(normal))
        // The residual is orthogonal to the column space: Aᵀ(Ax − b) = 0.
        let residual = zip(a.times(x), b).map { $0 - $1 }
        #expect(Self.norm(a.times(residual, transposed: true)) < 1e-12 * a.frobeniusNorm * Self.norm(b))

        // The multi-right-hand-side form solves column by column.
        let bs = Self.randomMatrix(9, 3, &rng)
        let xs = try a.minimumNormLeastSquares(bs)
        #expect(xs.rows == 4 && xs.cols == 3)
        for j in 0..<3 {
            let xj = try a.minimumNormLeastSquares((0..<9).map { bs[$0, j] })
            #expect(Self.distance((0..<4).map { xs[$0, j] }, xj) < 1e-13 * Self.norm(xj))
        }
    }

    @Test func rankDeficientLeastSquaresMatchesPseudoinverse() throws {
        var rng = RandomStreams(seed: 1).stream("test")
        // Rank 2, 6×5: neither full row nor full column rank.
        let a = Matrix.product(Self.randomMatrix(6, 2, &rng), Self.randomMatrix(2, 5, &rng))
        let sigma = try a.singularValues()
        #expect(sigma[2] < 1e-14 * sigma[0])
        let b = (0..<6).map { _ in rng.nextNormal() }
        let x = try a.minimumNormLeastSquares(b)
        let reference = try a.pseudoinverse().times(b)
        #expect(Self.distance(x, reference) < 1e-12 * Self.norm(reference))
        // (With LAPACK's rcond = −1, i.e. cutoff 2⁻⁵³·σ₁, the rounding-level σ₃ ≈ 2.0e-16·σ₁ of this
        // matrix is kept and inverted: ‖x‖ ≈ 6e14 against ‖A⁺b‖ ≈ 0.98. Hence the default cutoff.)
        // Exactly representable rank deficiency: a repeated column.
        let c = Matrix<Double>(rows: 3, cols: 3, storage: [1, 1, 0,
                                                           2, 2, 1,
                                                           0, 0, 1])
        // Cx = (1, 3, 1) ⇔ x₁ + x₂ = 1, x₃ = 1; the shortest such x is (1/2, 1/2, 1).
        let xc = try c.minimumNormLeastSquares([1, 3, 1])
        #expect(Self.distance(xc, [0.5, 0.5, 1]) < 1e-14)
        #expect(Self.distance(xc, try c.pseudoinverse().times([1, 3, 1])) < 1e-14)
    }

    @Test(arguments: [(5, 3, 3), (3, 5, 3), (6, 5, 2)])
    func pseudoinverseSatisfiesMoorePenrose(shape: (Int, Int, Int)) throws {
        var rng = RandomStreams(seed: 1).stream("test")
        let (m, n, r) = shape
        let a = Matrix.product(Self.randomMatrix(m, r, &rng), Self.randomMatrix(r, n, &rng))
        let x = try a.pseudoinverse()
        #expect(x.rows == n && x.cols == m)
        let ax = Matrix.product(a, x), xa = Matrix.product(x, a)
        #expect(Self.relative(Matrix.product(ax, a), a) < 1e-12)          // AXA = A
        #expect(Self.relative(Matrix.product(xa, x), x) < 1e-12)          // XAX = X
        #expect(Self.relative(ax.transposed, ax) < 1e-12)                  // (AX)ᵀ = AX
        #expect(Self.relative(xa.transposed, xa) < 1e-12)                  // (XA)ᵀ = XA
        // A⁺ has rank r: AX is the orthogonal projector onto range(A), trace r.
        #expect(abs((0..<m).reduce(0) { $0 + ax[$1, $1] } - Double(r)) < 1e-12)
    }

    // MARK: Symmetric eigen

    @Test func symmetricEigenOfRotatedDiagonal() throws {
        let q = Matrix.product(Self.rotation(3, 0, 1, 0.3), Self.rotation(3, 0, 2, 1.1))
        let a = Matrix.product(Matrix.product(q, Self.diagonal([5, -1, 2])), transposed: false, q, transposed: true)
        let e = try a.symmetricEigen()
        #expect(Self.distance(e.eigenvalues, [-1, 2, 5]) < 1e-14)
        #expect(Self.distance(try a.symmetricEigenvalues(), [-1, 2, 5]) < 1e-14)
        // The eigenvector of 5 is ± the first column of Q.
        #expect(abs(abs(Self.dot(e.eigenvector(2), (0..<3).map { q[$0, 0] })) - 1) < 1e-14)
    }

    @Test func symmetricEigenpairsOfRandomMatrix() throws {
        var rng = RandomStreams(seed: 1).stream("test")
        let b = Self.randomMatrix(6, 6, &rng)
        let a = Matrix.product(b, transposed: false, b, transposed: true)
        var s = a
        for i in 0..<6 { for j in 0..<6 { s[i, j] = a[i, j] + b[i, j] + b[j, i] } }  // indefinite, symmetric
        let e = try s.symmetricEigen()
        #expect(zip(e.eigenvalues, e.eigenvalues.dropFirst()).allSatisfy { $0 <= $1 })
        for i in 0..<6 {
            let v = e.eigenvector(i)
            let av = s.times(v), lv = v.map { e.eigenvalues[i] * $0 }
            #expect(Self.distance(av, lv) < 1e-12 * s.frobeniusNorm)
        }
        #expect(Self.columnOrthonormalityError(e.eigenvectors) < 1e-12)
        let lambda = Self.diagonal(e.eigenvalues)
        let qlqt = Matrix.product(Matrix.product(e.eigenvectors, lambda), transposed: false, e.eigenvectors, transposed: true)
        #expect(Self.relative(qlqt, s) < 1e-12)
    }

    @Test func symmetricEigenRejectsAsymmetricAndNonSquare() throws {
        let a = Matrix<Double>(rows: 3, cols: 3, storage: [1, 2, 0,
                                                           2.5, 1, 0,
                                                           0, 1e-12, 1])
        #expect(throws: LinearAlgebraError.notSymmetric(operation: "symmetricEigen", row: 0, col: 1, entry: 2,
                                                        mirror: 2.5, relativeAsymmetry: 0.2, tolerance: 1e-10)) {
            try a.symmetricEigen()
        }
        do {
            _ = try a.symmetricEigen()
        } catch {
            #expect(error.description.contains("A[0,1] = 2.0 but A[1,0] = 2.5"))
        }
        // Rounding-level asymmetry (1e-12 relative) passes, and the symmetric part is decomposed.
        var nearly = Self.diagonal([1, 2, 3])
        nearly[0, 1] = 1e-12
        #expect(Self.distance(try nearly.symmetricEigenvalues(), try Self.diagonal([1, 2, 3]).symmetricEigenvalues()) < 1e-15)
        #expect(throws: LinearAlgebraError.notSquare(operation: "symmetricEigen", rows: 2, cols: 3)) {
            try Matrix<Double>(rows: 2, cols: 3).symmetricEigen()
        }
    }

    // MARK: Solve and Cholesky

    @Test func solveHandSolvedSystem() throws {
        // 2x + y − z = 8, −3x − y + 2z = −11, −2x + y + 2z = −3  ⇒  (x, y, z) = (2, 3, −1).
        let a = Matrix<Double>(rows: 3, cols: 3, storage: [2, 1, -1,
                                                           -3, -1, 2,
                                                           -2, 1, 2])
        #expect(Self.distance(try a.solve([8, -11, -3]), [2, 3, -1]) < 1e-14)
        let x = try a.solve(Matrix(rows: 3, cols: 2, storage: [8, 1, -11, -1, -3, 0]))  // second column: x = (1, 0, 1)
        #expect(Self.distance(x.storage, [2, 1, 3, 0, -1, 1]) < 1e-14)

        // Row 2 = 2·row 1: elimination meets an exactly zero third pivot.
        let singular = Matrix<Double>(rows: 3, cols: 3, storage: [1, 2, 3,
                                                                  2, 4, 6,
                                                                  1, 1, 1])
        #expect(throws: LinearAlgebraError.singular(routine: "LAPACKE_dgesv", pivot: 3)) {
            try singular.solve([1, 2, 3])
        }
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: "solve", aRows: 3, aCols: 3, bRows: 2, bCols: 1)) {
            try a.solve([1, 2])
        }
        var bad = a
        bad[1, 2] = .nan
        #expect(throws: LinearAlgebraError.nonFinite(operation: "solve", operand: "A", row: 1, col: 2, value: "nan")) {
            try bad.solve([1, 2, 3])
        }
    }

    @Test func choleskyAndLogDeterminant() throws {
        let a = Matrix<Double>(rows: 2, cols: 2, storage: [4, 2, 2, 3])
        let l = try a.cholesky()
        #expect(Self.distance(l.storage, [2, 0, 1, 2.0.squareRoot()]) < 1e-15)
        #expect(abs(try a.logDeterminantSPD() - log(8)) < 1e-15)

        // [[1, 2], [2, 1]] has eigenvalues 3 and −1: its second leading minor is −3.
        #expect(throws: LinearAlgebraError.notPositiveDefinite(routine: "LAPACKE_dpotrf", minorOrder: 2)) {
            try Matrix<Double>(rows: 2, cols: 2, storage: [1, 2, 2, 1]).cholesky()
        }
        #expect(throws: LinearAlgebraError.self) {
            try Matrix<Double>(rows: 2, cols: 2, storage: [1, 2, 2, 1]).logDeterminantSPD()
        }

        // A random SPD matrix BᵀB + I: L·Lᵀ = A, and log det A = Σ log λᵢ.
        var rng = RandomStreams(seed: 1).stream("test")
        let b = Self.randomMatrix(8, 6, &rng)
        var spd = Matrix.product(b, transposed: true, b)
        for i in 0..<6 { spd[i, i] += 1 }
        let ls = try spd.cholesky()
        for i in 0..<6 { for j in (i + 1)..<6 { #expect(ls[i, j] == 0) } }
        #expect(Self.relative(Matrix.product(ls, transposed: false, ls, transposed: true), spd) < 1e-14)
        let eigenvalues = try spd.symmetricEigenvalues()
        let logDet = try spd.logDeterminantSPD()
        #expect(abs(logDet - eigenvalues.reduce(0) { $0 + log($1) }) < 1e-12 * abs(logDet))
        #expect(abs(exp(logDet) - eigenvalues.reduce(1, *)) < 1e-12 * eigenvalues.reduce(1, *))
    }

    // MARK: Errors

    @Test func errorsNameTheirCause() throws {
        var a = Matrix<Double>.identity(3)
        a[2, 0] = .infinity
        #expect(throws: LinearAlgebraError.nonFinite(operation: "svd", operand: "A", row: 2, col: 0, value: "inf")) {
            try a.svd()
        }
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: "minimumNormLeastSquares",
                                                             aRows: 3, aCols: 5, bRows: 4, bCols: 1)) {
            try Matrix<Double>(rows: 3, cols: 5).minimumNormLeastSquares([1, 2, 3, 4])
        }
        let message = LinearAlgebraError.dimensionMismatch(operation: "minimumNormLeastSquares",
                                                           aRows: 3, aCols: 5, bRows: 4, bCols: 1).description
        #expect(message.contains("3×5") && message.contains("4×1"))
        #expect(LinearAlgebraError.singular(routine: "LAPACKE_dgesv", pivot: 3).description.contains("U(3,3)"))
        #expect(LinearAlgebraError.illegalArgument(routine: "LAPACKE_dgesdd", index: 6, name: "lda")
                    .description.contains("argument 6 (lda)"))

        // Empty shapes need no LAPACK call.
        #expect(try Matrix<Double>(rows: 0, cols: 4).minimumNormLeastSquares([Double]()) == [0, 0, 0, 0])
        #expect(try Matrix<Double>(rows: 3, cols: 0).svd().singularValues.isEmpty)
        #expect(try Matrix<Double>(rows: 0, cols: 0).logDeterminantSPD() == 0)
    }
}
