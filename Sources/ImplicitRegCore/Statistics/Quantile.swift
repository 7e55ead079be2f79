extension Collection where Element == Double {
    /// The q-quantile (0 ≤ q ≤ 1) by linear interpolation between order statistics, NumPy's default
    /// (`np.quantile(x, q)`): position q·(n − 1) in the sorted values. NaN for no values.
    public func quantile(_ q: Double) -> Double {
        precondition(q >= 0 && q <= 1, "a quantile needs 0 ≤ q ≤ 1")
        guard !isEmpty else { return .nan }
        let s = sorted(), pos = q * Double(s.count - 1)
        let lo = Int(pos.rounded(.down)), hi = Swift.min(lo + 1, s.count - 1)
        return s[lo] + (s[hi] - s[lo]) * (pos - Double(lo))
    }
}
