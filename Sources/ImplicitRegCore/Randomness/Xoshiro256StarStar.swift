/// xoshiro256** 1.0 (Blackman & Vigna 2018): the project's only source of randomness.
///
/// The algorithm is fixed here, not taken from the standard library, so the same seed gives the
/// same numbers on every Swift version. Create one per purpose through ``RandomStreams``.
public struct Xoshiro256StarStar: Sendable {
    /// The 256-bit state; never all zero.
    public private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    /// Seeds the state from four SplitMix64 outputs, as the authors recommend.
    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        state = (sm.next(), sm.next(), sm.next(), sm.next())
    }

    /// Uses `state` as given (for reference tests); it must not be all zero.
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state != (0, 0, 0, 0), "xoshiro256** state must not be all zero")
        self.state = state
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

    /// The next 64-bit output.
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = Self.rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = Self.rotl(state.3, 45)
        return result
    }
}
