/// Identical inputs with different labels: what no classifier can fit.
extension Dataset {
    /// The highest training accuracy any function of the inputs can reach: examples with
    /// bitwise-identical input rows form a group, and a function gives a group one label, so at
    /// best it fits the most frequent label of each group. 1 when no two identical inputs disagree;
    /// below 1 when, say, random labels split a duplicated image.
    public var bestAchievableAccuracy: Double {
        guard !labels.isEmpty else { return .nan }
        var groups: [[UInt64]: [Int32: Int]] = [:]
        for (i, key) in rowKeys.enumerated() { groups[key, default: [:]][labels[i], default: 0] += 1 }
        let fittable = groups.values.map { $0.values.max() ?? 0 }.reduce(0, +)
        return Double(fittable) / Double(labels.count)
    }

    /// Examples whose input row also occurs elsewhere in the set (every copy counted).
    public var duplicatedInputCount: Int {
        var counts: [[UInt64]: Int] = [:]
        for key in rowKeys { counts[key, default: 0] += 1 }
        return counts.values.filter { $0 > 1 }.reduce(0, +)
    }

    /// Each input row as the bit patterns of its entries (widened to Double: exact).
    private var rowKeys: [[UInt64]] {
        (0..<inputs.rows).map { i in (0..<inputs.cols).map { Double(inputs[i, $0]).bitPattern } }
    }
}
