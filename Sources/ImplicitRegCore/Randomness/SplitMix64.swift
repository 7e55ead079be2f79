/// SplitMix64 (Steele, Lea & Flood 2014): a 64-bit generator used only to expand one seed
/// into the state of ``Xoshiro256StarStar`` and to derive named streams.
public struct SplitMix64: Sendable {
    /// The generator's whole state.
    public var state: UInt64

    /// Starts the sequence at `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64-bit output.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
