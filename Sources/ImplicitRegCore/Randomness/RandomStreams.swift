/// Named, independent random streams derived from one experiment seed.
///
/// Every random choice in the suite draws from a stream named after its purpose, so changing
/// how one purpose uses randomness (say, a different subset) never shifts another (the
/// initial weights). The stream for `name` is seeded with SplitMix64 of the seed mixed with
/// the FNV-1a hash of the name.
public struct RandomStreams: Sendable {
    /// The names the core uses; readings may add their own.
    public enum Name: String, Sendable, CaseIterable {
        case initialization = "init"
        case shuffle
        case labels
        case subset = "data-subset"
        case noise
        case inputs
    }

    /// The experiment's seed.
    public let seed: UInt64

    /// Streams for `seed`.
    public init(seed: UInt64) { self.seed = seed }

    /// A fresh generator for the stream `name`; equal names give equal generators.
    public func stream(_ name: String) -> Xoshiro256StarStar {
        var mixer = SplitMix64(seed: seed ^ Self.fnv1a(name))
        return Xoshiro256StarStar(seed: mixer.next())
    }

    /// A fresh generator for a core stream.
    public func stream(_ name: Name) -> Xoshiro256StarStar { stream(name.rawValue) }

    /// 64-bit FNV-1a of the UTF-8 bytes of `text`.
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
