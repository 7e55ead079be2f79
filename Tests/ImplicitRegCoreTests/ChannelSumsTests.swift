import Testing
import ImplicitRegCore

/// `channelSums` (a convolution's bias gradient) interleaves four channels' sums for speed; each
/// channel must still be summed in order, one example after another, so results stay bit-identical
/// to the one-loop definition (the committed CNN results depend on it).
@Suite("Channel sums")
struct ChannelSumsTests {
    @Test(arguments: [1, 3, 4, 5, 8, 16], [0.0, 1.0, 0.9])
    func matchesOneLoopBitForBit(channels: Int, beta: Double) {
        let (batch, spatial) = (3, 37)
        var rng = RandomStreams(seed: 11).stream("test")
        let g = (0..<(batch * channels * spatial)).map { _ in Float(rng.nextNormal()) * 1e3 }
        let start = (0..<channels).map { _ in Float(rng.nextNormal()) }
        var out = start
        g.withUnsafeBufferPointer { gp in
            out.withUnsafeMutableBufferPointer { op in
                Float.channelSums(gp.baseAddress!, batch: batch, channels: channels, spatial: spatial,
                                  into: op.baseAddress!, beta: Float(beta))
            }
        }
        var expected = start.map { beta == 0 ? 0 : (beta == 1 ? $0 : Float(beta) * $0) }
        for e in 0..<batch {
            for c in 0..<channels {
                var sum: Float = 0
                for s in 0..<spatial { sum += g[(e * channels + c) * spatial + s] }
                expected[c] += sum
            }
        }
        #expect(out.map(\.bitPattern) == expected.map(\.bitPattern))
    }
}
