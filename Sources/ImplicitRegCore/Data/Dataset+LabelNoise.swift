extension Dataset {
    /// Exactly `count` training labels, chosen uniformly without replacement, each moved to a
    /// different class drawn uniformly from the other K − 1 (unlike
    /// ``corruptingLabels(fraction:using:)``, every chosen label changes). Returns the set and the
    /// indices whose label changed (ascending).
    ///
    /// Draws: one `permutation(count)`, then one class offset per chosen example in index order.
    public func flippingLabels(count flips: Int, using rng: inout Xoshiro256StarStar) -> (Dataset, flipped: [Int]) {
        precondition(classCount >= 2 && !labels.isEmpty, "\(name): label flipping needs at least two classes")
        precondition(flips >= 0 && flips <= count, "\(name): cannot flip \(flips) of \(count) labels")
        let chosen = Array(rng.permutation(count)[..<flips]).sorted()
        var out = self
        for i in chosen {
            let offset = 1 + rng.nextInt(below: classCount - 1)
            out.labels[i] = Int32((Int(labels[i]) + offset) % classCount)
        }
        out.name = "\(name)[\(flips) labels flipped]"
        return (out, chosen)
    }
}
