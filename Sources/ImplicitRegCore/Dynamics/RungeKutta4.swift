/// The classical fourth-order Runge–Kutta method, used as the reference integrator of flows that
/// are compared with discrete iterations (gradient descent, SGD) on the same time grid.
///
/// A grid of `steps` intervals of length h is integrated with an integer number K of RK4 substeps of
/// length h/K per interval, so the flow is sampled exactly at t = 0, h, 2h, … and nothing is
/// interpolated. Its global error is O((h/K)⁴).
public enum RungeKutta4 {
    /// One RK4 step of length `dt` from `θ`.
    public static func step(_ field: some VectorField, from θ: [Double], dt: Double) -> [Double] {
        let k1 = field.velocity(at: θ)
        let k2 = field.velocity(at: Vector.adding(θ, dt / 2, k1))
        let k3 = field.velocity(at: Vector.adding(θ, dt / 2, k2))
        let k4 = field.velocity(at: Vector.adding(θ, dt, k3))
        var out = θ
        for i in out.indices { out[i] += dt / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]) }
        return out
    }

    /// The state after time `duration`, in `substeps` equal RK4 steps.
    public static func integrate(_ field: some VectorField, from θ: [Double], duration: Double, substeps: Int) -> [Double] {
        precondition(substeps >= 1, "RK4 needs at least one substep")
        var state = θ
        let dt = duration / Double(substeps)
        for _ in 0..<substeps { state = step(field, from: state, dt: dt) }
        return state
    }

    /// The states at t = 0, h, …, `steps`·h (`steps` + 1 of them), with `substeps` RK4 steps per interval.
    public static func trajectory(_ field: some VectorField, from θ: [Double], stepLength h: Double, steps: Int,
                                  substeps: Int) -> [[Double]] {
        var states = [θ]
        states.reserveCapacity(steps + 1)
        var state = θ
        for _ in 0..<steps {
            state = integrate(field, from: state, duration: h, substeps: substeps)
            states.append(state)
        }
        return states
    }

    /// ``trajectory(_:from:stepLength:steps:substeps:)`` with K substeps, and the accuracy check of
    /// the reference: the largest distance, over the grid, between it and the same integration with
    /// 2K substeps (halved substep). RK4's error falls 16× when the substep halves, so this distance
    /// bounds the reference's own error to within 7 %.
    public static func checkedTrajectory(_ field: some VectorField, from θ: [Double], stepLength h: Double, steps: Int,
                                         substeps: Int) -> CheckedTrajectory {
        let coarse = trajectory(field, from: θ, stepLength: h, steps: steps, substeps: substeps)
        let fine = trajectory(field, from: θ, stepLength: h, steps: steps, substeps: 2 * substeps)
        let change = zip(coarse, fine).map { Vector.distance($0, $1) }.max() ?? 0
        return CheckedTrajectory(states: fine, halvingChange: change)
    }
}

/// A reference trajectory on a time grid and how much it moved when the RK4 substep was halved.
public struct CheckedTrajectory: Sendable {
    /// The states at t = 0, h, 2h, … (from the finer of the two integrations).
    public var states: [[Double]]
    /// max over the grid of ‖θ_K − θ_2K‖: an upper bound (up to 7 %) on the coarse error, a
    /// generous bound on the fine one.
    public var halvingChange: Double

    /// The last state.
    public var endpoint: [Double] { states[states.count - 1] }
}
