/// A reference solver finished but its answer failed the check it must pass before use
/// (a residual, a cross-check with another method, or an optimality certificate).
public struct SolverCertificateError: Error, CustomStringConvertible, Equatable {
    /// The solver ("minimumL1Interpolant").
    public var solver: String
    /// What was checked ("‖c‖∞ ≤ 1 + 1e-6 (dual feasibility)").
    public var check: String
    /// The measured value.
    public var value: Double
    /// The bound it had to meet.
    public var bound: Double
    /// Iterations used, if the solver iterates.
    public var iterations: Int?

    public init(solver: String, check: String, value: Double, bound: Double, iterations: Int? = nil) {
        self.solver = solver
        self.check = check
        self.value = value
        self.bound = bound
        self.iterations = iterations
    }

    public var description: String {
        let its = iterations.map { " after \($0) iterations" } ?? ""
        return "\(solver): certificate failed\(its): \(check) measured \(value), bound \(bound); the answer is not trusted (a harder instance, or raise the iteration cap)"
    }

    /// Throws unless value ≤ bound (NaN fails).
    static func require(_ solver: String, _ check: String, _ value: Double, _ bound: Double, iterations: Int? = nil) throws {
        guard value <= bound else { throw SolverCertificateError(solver: solver, check: check, value: value, bound: bound, iterations: iterations) }
    }
}

