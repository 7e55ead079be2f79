import RealModule

extension Xoshiro256StarStar {
    /// Uniform on [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform on [low, high).
    public mutating func nextUniform(in low: Double, _ high: Double) -> Double {
        low + (high - low) * nextUniform()
    }

    /// Uniform integer in 0..<bound, unbiased (Lemire's multiply-and-reject).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// Standard normal by the Box–Muller transform (the cosine branch; two uniforms per draw,
    /// so a stream's n-th normal never depends on how earlier draws were interleaved).
    public mutating func nextNormal() -> Double {
        var u1 = nextUniform()
        while u1 == 0 { u1 = nextUniform() }
        let u2 = nextUniform()
        return Double.sqrt(-2 * Double.log(u1)) * Double.cos(2 * Double.pi * u2)
    }

    /// Normal with mean `mean` and standard deviation `sd`.
    public mutating func nextNormal(mean: Double, sd: Double) -> Double {
        mean + sd * nextNormal()
    }

    /// A uniformly random permutation of 0..<n (Fisher–Yates).
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        shuffle(&p)
        return p
    }

    /// Shuffles `array` in place, uniformly (Fisher–Yates, from the end).
    public mutating func shuffle<E>(_ array: inout [E]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = nextInt(below: i + 1)
            if i != j { array.swapAt(i, j) }
        }
    }
}
