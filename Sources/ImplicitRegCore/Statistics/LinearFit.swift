/// The ordinary least-squares line y ≈ intercept + slope·x (e.g. ln B_opt against ln ε for a
/// scaling exponent).
public struct LinearFit: Sendable, Equatable {
    /// The fitted slope.
    public var slope: Double
    /// The fitted intercept.
    public var intercept: Double

    /// The fit to the pairs (xᵢ, yᵢ); NaN slope and intercept with fewer than two distinct x.
    public init(x: [Double], y: [Double]) {
        precondition(x.count == y.count, "a line fit needs as many y values as x values")
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxx = 0.0, sxy = 0.0
        for i in x.indices {
            sxx += (x[i] - mx) * (x[i] - mx)
            sxy += (x[i] - mx) * (y[i] - my)
        }
        guard x.count >= 2, sxx > 0 else {
            slope = .nan
            intercept = .nan
            return
        }
        slope = sxy / sxx
        intercept = my - slope * mx
    }
}
