/// Exhaustive enumeration of orderings and partitions, for exact averages over the randomness of
/// data order (random shuffling visits the minibatches of an epoch in a uniformly random order).
public enum Enumeration {
    /// All n! permutations of 0..<n, in lexicographic order.
    public static func permutations(_ n: Int) -> [[Int]] {
        precondition(n >= 0 && n <= 10, "enumerating \(n)! permutations is not sensible (n ≤ 10)")
        var out: [[Int]] = []
        func extend(_ prefix: [Int], _ rest: [Int]) {
            if rest.isEmpty { out.append(prefix); return }
            for (i, r) in rest.enumerated() {
                var remaining = rest
                remaining.remove(at: i)
                extend(prefix + [r], remaining)
            }
        }
        extend([], Array(0..<n))
        return out
    }

    /// All partitions of 0..<n into unordered blocks of `blockSize` (n divisible by it), each block
    /// sorted and the blocks ordered by their smallest element: n! / ((B!)^m m!) of them, m = n/B.
    public static func partitions(_ n: Int, blockSize: Int) -> [[[Int]]] {
        precondition(blockSize >= 1 && n % blockSize == 0, "\(n) elements do not split into blocks of \(blockSize)")
        var out: [[[Int]]] = []
        func extend(_ blocks: [[Int]], _ rest: [Int]) {
            guard let first = rest.first else { out.append(blocks); return }
            let others = Array(rest.dropFirst())
            for companions in combinations(others, blockSize - 1) {
                let block = [first] + companions
                extend(blocks + [block], others.filter { !companions.contains($0) })
            }
        }
        extend([], Array(0..<n))
        return out
    }

    /// All k-element subsets of `items`, each in the items' order.
    public static func combinations(_ items: [Int], _ k: Int) -> [[Int]] {
        if k == 0 { return [[]] }
        guard items.count >= k else { return [] }
        let head = items[0], tail = Array(items.dropFirst())
        return combinations(tail, k - 1).map { [head] + $0 } + combinations(tail, k)
    }
}
