import Foundation
import ImplicitRegCore
import Testing

/// Flush-to-zero is per thread: it is switched on in a fresh thread, so no other test's thread
/// changes its arithmetic.
@Suite("Subnormal flushing")
struct SubnormalFlushingTests {
    @Test func enablingFlushesSubnormalResultsToZeroOnThatThreadOnly() {
        #expect(!SubnormalFlushing.isEnabled, "the test thread must keep IEEE subnormals")
        final class Box: @unchecked Sendable { var enabled = false, flushedAfter = false, half: Float = 1 }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.enabled = SubnormalFlushing.enable()
            box.flushedAfter = SubnormalFlushing.isEnabled
            // A factor the compiler cannot fold: the division happens at run time, on this thread.
            box.half = Float.leastNormalMagnitude / Float(Int.random(in: 4...4))
            done.signal()
        }
        thread.start()
        done.wait()
        #if arch(x86_64) && os(Linux)
        #expect(box.enabled && box.flushedAfter)
        #expect(box.half == 0, "leastNormalMagnitude/4 should flush to 0, got \(box.half)")
        #endif
        #expect(!SubnormalFlushing.isEnabled, "another thread's setting leaked into the test thread")
    }
}
