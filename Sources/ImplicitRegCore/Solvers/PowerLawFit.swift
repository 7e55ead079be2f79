import RealModule

/// A power law y ≈ C·xᵖ fitted by least squares on log y = log C + p log x: the order p of an error
/// that scales as a power of a step size.
public struct PowerLawFit: Sendable, Equatable {
    /// The exponent p (the log–log slope).
    public var slope: Double
    /// log C.
    public var intercept: Double
    /// The largest |residual| of the log–log fit (natural log): how far the data are from a pure power law.
    public var maxResidual: Double
    /// The range of x the fit used.
    public var range: ClosedRange<Double>

    /// The least-squares line through (log xᵢ, log yᵢ). Needs ≥ 2 distinct positive xᵢ and positive yᵢ.
    public init(x: [Double], y: [Double]) throws {
        guard x.count == y.count, x.count >= 2 else { throw PowerLawFitError.tooFewPoints(x.count) }
        guard x.allSatisfy({ $0 > 0 && $0.isFinite }), y.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw PowerLawFitError.nonPositive(x: x, y: y)
        }
        let lx = x.map { Double.log($0) }, ly = y.map { Double.log($0) }
        let n = Double(x.count)
        let mx = lx.reduce(0, +) / n, my = ly.reduce(0, +) / n
        var sxx = 0.0, sxy = 0.0
        for i in lx.indices {
            sxx += (lx[i] - mx) * (lx[i] - mx)
            sxy += (lx[i] - mx) * (ly[i] - my)
        }
        guard sxx > 0 else { throw PowerLawFitError.tooFewPoints(1) }
        let p = sxy / sxx, c = my - p * mx
        slope = p
        intercept = c
        maxResidual = zip(lx, ly).map { abs($1 - (c + p * $0)) }.max() ?? 0
        range = x.min()!...x.max()!
    }

    /// C·xᵖ.
    public func predict(_ x: Double) -> Double { Double.exp(intercept + slope * Double.log(x)) }
}

/// Data a power law cannot be fitted to.
public enum PowerLawFitError: Error, CustomStringConvertible {
    case tooFewPoints(Int)
    case nonPositive(x: [Double], y: [Double])

    public var description: String {
        switch self {
        case let .tooFewPoints(n): "a power-law fit needs at least two distinct x values (got \(n))"
        case let .nonPositive(x, y): "a power-law fit needs positive finite values; x = \(x), y = \(y)"
        }
    }
}
