/// An autonomous vector field θ̇ = f(θ) on ℝⁿ, in Double: the right-hand side of a gradient flow or
/// of a modified (backward-error) flow.
public protocol VectorField {
    /// The dimension n of the state.
    var dimension: Int { get }
    /// f(θ).
    func velocity(at θ: [Double]) -> [Double]
}

/// A vector field given by a closure.
public struct ClosureField: VectorField {
    public let dimension: Int
    private let body: ([Double]) -> [Double]

    /// The field θ ↦ `body(θ)` on ℝ^`dimension`.
    public init(dimension: Int, _ body: @escaping ([Double]) -> [Double]) {
        self.dimension = dimension
        self.body = body
    }

    public func velocity(at θ: [Double]) -> [Double] { body(θ) }
}

/// Small dense-vector operations on the state vectors of the integrators (n is at most a few hundred).
public enum Vector {
    /// x + α·y.
    @inlinable public static func adding(_ x: [Double], _ α: Double, _ y: [Double]) -> [Double] {
        precondition(x.count == y.count, "vector lengths differ: \(x.count) and \(y.count)")
        var out = x
        for i in out.indices { out[i] += α * y[i] }
        return out
    }

    /// α·x.
    @inlinable public static func scaled(_ x: [Double], _ α: Double) -> [Double] { x.map { α * $0 } }

    /// xᵀy.
    @inlinable public static func dot(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "vector lengths differ: \(x.count) and \(y.count)")
        var s = 0.0
        for i in x.indices { s += x[i] * y[i] }
        return s
    }

    /// ‖x‖₂.
    @inlinable public static func norm(_ x: [Double]) -> Double { dot(x, x).squareRoot() }

    /// ‖x − y‖₂.
    @inlinable public static func distance(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "vector lengths differ: \(x.count) and \(y.count)")
        var s = 0.0
        for i in x.indices { s += (x[i] - y[i]) * (x[i] - y[i]) }
        return s.squareRoot()
    }

    /// The mean of equally long vectors.
    public static func mean(_ xs: [[Double]]) -> [Double] {
        precondition(!xs.isEmpty, "the mean of no vectors")
        var out = [Double](repeating: 0, count: xs[0].count)
        for x in xs { for i in out.indices { out[i] += x[i] } }
        return out.map { $0 / Double(xs.count) }
    }
}
