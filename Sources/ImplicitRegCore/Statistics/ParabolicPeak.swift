import RealModule

/// The location of a sampled curve's maximum, refined between grid points by the parabola through
/// the grid maximum and its two neighbours (in ln x for a logarithmic grid), so a ×2 grid does
/// not quantise the location to its own points.
public struct ParabolicPeak: Sendable, Equatable {
    /// The refined location x* (the grid point itself when the maximum is at an end of the grid).
    public var location: Double
    /// The parabola's value at x* (the grid maximum at an end).
    public var value: Double
    /// Index of the grid maximum.
    public var index: Int
    /// Whether the grid maximum has a neighbour on both sides (otherwise x* is the end point).
    public var interior: Bool

    /// The peak of y(x) sampled at strictly increasing `x` (positive when `logarithmic`). NaN values
    /// of y are skipped when finding the maximum.
    public init(x: [Double], y: [Double], logarithmic: Bool = true) {
        precondition(x.count == y.count && !x.isEmpty, "the peak needs as many y values as x values, at least one")
        precondition(zip(x, x.dropFirst()).allSatisfy { $0 < $1 }, "x must be strictly increasing")
        precondition(!logarithmic || x.allSatisfy { $0 > 0 }, "a logarithmic grid needs positive x")
        var best = 0
        for i in y.indices where !y[i].isNaN && (y[best].isNaN || y[i] > y[best]) { best = i }
        index = best
        let u = logarithmic ? x.map { Double.log($0) } : x
        guard best > 0, best < x.count - 1, !y[best - 1].isNaN, !y[best + 1].isNaN else {
            location = x[best]
            value = y[best]
            interior = false
            return
        }
        interior = true
        let (u0, u1, u2) = (u[best - 1], u[best], u[best + 1])
        let (y0, y1, y2) = (y[best - 1], y[best], y[best + 1])
        // Vertex of the interpolating parabola (Newton divided differences).
        let d01 = (y1 - y0) / (u1 - u0), d12 = (y2 - y1) / (u2 - u1)
        let a = (d12 - d01) / (u2 - u0)
        let vertex: Double
        if a < 0 {
            vertex = 0.5 * (u0 + u1) - d01 / (2 * a)
        } else {
            vertex = u1  // flat: three equal values
        }
        let b = d01 - a * (u0 + u1)
        let c = y0 - a * u0 * u0 - b * u0
        value = a < 0 ? a * vertex * vertex + b * vertex + c : y1
        location = logarithmic ? Double.exp(vertex) : vertex
    }
}
