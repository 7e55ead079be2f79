import ImplicitRegCore
import ReadingSupport

/// The matrix-factorization part (Arora et al. 2019): deep factorizations against minimum nuclear
/// norm on completion instances, and the singular-value dynamics.
struct MatrixFactorizationConfig: Codable, Sendable {
    var instances: [CompletionInstanceConfig]
    /// η = step_factor·m / (2N·σ₁(W*)^{2−2/N}) (the loss's curvature scale is 2Nσ₁^{2−2/N}/m).
    var stepFactor: Double
    /// GD stops once the loss (1/m)Σ_Ω(W − M)² ≤ stop_loss·(1/m)Σ_Ω M².
    var stopLoss: Double
    var maxSteps: Int
    /// Singular values are recorded every this many steps.
    var recordEvery: Int
    var dynamics: DynamicsConfig
    /// Arora et al.'s central figure as a statistic: recovery against the number of observed entries
    /// (absent: not run).
    var completionCurve: CompletionCurveConfig?

    func validate() throws {
        let f = "matrix_factorization"
        try requireValid(!instances.isEmpty, field: "\(f).instances", value: instances.count, "must list at least one instance")
        for (i, inst) in instances.enumerated() { try inst.validate(field: "\(f).instances[\(i)]") }
        try requireValid(Set(instances.map(\.name)).count == instances.count, field: "\(f).instances", value: instances.map(\.name), "must be distinct")
        try requireValid(stepFactor > 0 && stepFactor < 2, field: "\(f).step_factor", value: stepFactor, "must be in (0, 2)")
        try requireValid(stopLoss > 0, field: "\(f).stop_loss", value: stopLoss, "must be positive")
        try requireValid(maxSteps > 0, field: "\(f).max_steps", value: maxSteps, "must be positive")
        try requireValid(recordEvery > 0, field: "\(f).record_every", value: recordEvery, "must be positive")
        try dynamics.validate()
        try completionCurve?.validate()
    }
}

/// Error against the number of observed entries m for minimum nuclear norm and GD on deep
/// factorizations of several depths from one small init: per (m, seed) a fresh instance (W* and Ω
/// from the seed), every method on it; per (method, m) the fraction of seeds that recover W*
/// with its binomial interval.
struct CompletionCurveConfig: Codable, Sendable {
    var size: Int
    var rank: Int
    /// The numbers of observed entries m (increasing); the degrees of freedom are r(2n − r).
    var observed: [Int]
    var seeds: [UInt64]
    /// Depths N of the factorizations (each from ‖W(0)‖_F = `init`).
    var depths: [Int]
    /// ‖W(0)‖_F of every factorization run.
    var initNorm: Double
    /// A run recovers W* when ‖W − W*‖²_F/‖W*‖²_F ≤ this.
    var recoveryThreshold: Double
    /// GD step cap of these runs (the loss stop is matrix_factorization.stop_loss); a run that hits
    /// it counts as not recovered unless its error is already below the threshold, and is counted.
    var maxSteps: Int

    var degreesOfFreedom: Int { rank * (2 * size - rank) }

    func validate() throws {
        let f = "matrix_factorization.completion_curve"
        try requireValid(size > 1 && rank > 0 && rank < size, field: "\(f).rank", value: rank, "must be in [1, size)")
        try requireValid(!observed.isEmpty && observed.allSatisfy { $0 > 0 && $0 <= size * size } && observed == observed.sorted() && Set(observed).count == observed.count,
                         field: "\(f).observed", value: observed, "must list distinct increasing counts in [1, size²]")
        try requireValid(!seeds.isEmpty && Set(seeds).count == seeds.count, field: "\(f).seeds", value: seeds, "must list distinct seeds")
        try requireValid(!depths.isEmpty && depths.allSatisfy { $0 >= 2 } && Set(depths).count == depths.count, field: "\(f).depths", value: depths,
                         "must list distinct depths ≥ 2")
        try requireValid(initNorm > 0 && initNorm.isFinite, field: "\(f).init_norm", value: initNorm, "must be positive")
        try requireValid(recoveryThreshold > 0 && recoveryThreshold < 1, field: "\(f).recovery_threshold", value: recoveryThreshold, "must be in (0, 1)")
        try requireValid(maxSteps > 0, field: "\(f).max_steps", value: maxSteps, "must be positive")
        try requireSteps(Double(maxSteps), field: "\(f).max_steps", value: maxSteps, "steps")
    }
}

/// A completion instance: W* = UVᵀ (rank r, ‖W*‖_F = size), `observed` entries uniformly at
/// random, and the methods run on it.
struct CompletionInstanceConfig: Codable, Sendable {
    var size: Int
    var rank: Int
    var observed: Int
    var seeds: [UInt64]
    /// The depths and, for each, the end-to-end initial norms ‖W(0)‖_F.
    var runs: [FactorizationRuns]
    /// Depths whose run at the smallest init is repeated with half the step.
    var halvedStepDepths: [Int]

    var name: String { "n\(size)-r\(rank)-m\(observed)" }

    func validate(field f: String) throws {
        try requireValid(size > 1 && rank > 0 && rank < size, field: "\(f).rank", value: rank, "must be in [1, size)")
        try requireValid(observed > 0 && observed <= size * size, field: "\(f).observed", value: observed, "must be in [1, size²]")
        try requireValid(!seeds.isEmpty, field: "\(f).seeds", value: seeds, "must list at least one seed")
        for (i, r) in runs.enumerated() {
            try requireValid(r.depth >= 1, field: "\(f).runs[\(i)].depth", value: r.depth, "must be ≥ 1")
            try requireValid(!r.inits.isEmpty && r.inits.allSatisfy { $0 > 0 }, field: "\(f).runs[\(i)].inits", value: r.inits, "must list positive norms")
        }
        try requireValid(Set(runs.map(\.depth)).count == runs.count, field: "\(f).runs", value: runs.map(\.depth), "must name each depth once")
    }

    var depths: [Int] { runs.map(\.depth) }

    /// The inits of `depth` (empty if it is not run).
    func inits(_ depth: Int) -> [Double] { runs.first { $0.depth == depth }?.inits ?? [] }
}

/// One depth of deep factorization and its initial norms.
struct FactorizationRuns: Codable, Sendable {
    var depth: Int
    var inits: [Double]
}

/// The singular-value ODE check: a balanced-initialised run, finite-difference rates of σ_r
/// against −N(σ_r²)^{1−1/N}⟨∇ℓ(W), u_r v_rᵀ⟩ at two step sizes.
struct DynamicsConfig: Codable, Sendable {
    var size: Int
    var rank: Int
    var observed: Int
    var depth: Int
    /// Largest initial singular value (the others spaced linearly below it).
    var initScale: Double
    /// Step sizes as fractions of the standard step (see step_factor).
    var stepFractions: [Double]
    /// Gradient-flow time to follow, in units of the standard step.
    var horizon: Double
    var checkpoints: Int

    func validate() throws {
        let f = "matrix_factorization.dynamics"
        try requireValid(depth >= 2, field: "\(f).depth", value: depth, "must be ≥ 2")
        try requireValid(stepFractions.count == 2 && stepFractions.allSatisfy { $0 > 0 }, field: "\(f).step_fractions", value: stepFractions, "must list two positive fractions")
        try requireValid(checkpoints > 0 && horizon > 0, field: "\(f).checkpoints", value: checkpoints, "and horizon must be positive")
        for fraction in stepFractions where fraction > 0 {
            try requireSteps(horizon / fraction, field: "\(f).horizon", value: horizon, "horizon / step fraction \(fraction) steps")
        }
        try requireValid(rank > 0 && rank < size && observed <= size * size, field: "\(f).rank", value: rank, "must be in [1, size)")
    }
}
