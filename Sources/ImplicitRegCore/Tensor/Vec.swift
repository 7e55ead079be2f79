/// Small Double vector helpers (norms, differences) for solvers and their checks; plain loops,
/// for vectors of at most a few thousand entries.
public enum Vec {
    /// ‖x‖₂.
    public static func norm(_ x: [Double]) -> Double { x.withUnsafeBufferPointer { Double.sumOfSquares($0.baseAddress!, $0.count) }.squareRoot() }
    /// ‖x‖₁.
    public static func norm1(_ x: [Double]) -> Double { x.reduce(0) { $0 + Swift.abs($1) } }
    /// ‖x‖∞.
    public static func normInf(_ x: [Double]) -> Double { x.reduce(0) { Swift.max($0, Swift.abs($1)) } }
    /// a − b.
    public static func sub(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { $0 - $1 } }
    /// a + b.
    public static func add(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { $0 + $1 } }
    /// aᵀb.
    public static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    /// ‖a − b‖ / ‖b‖ (‖a − b‖ when b = 0).
    public static func relativeDistance(_ a: [Double], _ b: [Double]) -> Double {
        let nb = norm(b)
        let d = norm(sub(a, b))
        return nb > 0 ? d / nb : d
    }
}
