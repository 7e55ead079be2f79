import Foundation

/// Wall-clock samples of a repeated piece of work and how much CPU the process used meanwhile.
struct Timing {
    /// Milliseconds per sample, in the order taken.
    var samplesMs: [Double]
    /// Process CPU time / wall time over all samples (≈ 1 when single-threaded).
    var cpuOverWall: Double

    /// Runs `body` `warmup` times untimed, then `count` times, timing each call separately.
    static func measure(warmup: Int, count: Int, _ body: () throws -> Void) rethrows -> Timing {
        precondition(count > 0, "need at least one timed sample")
        for _ in 0..<warmup { try body() }
        var samples: [Double] = []
        samples.reserveCapacity(count)
        let cpuStart = nanoseconds(CLOCK_PROCESS_CPUTIME_ID)
        let wallStart = nanoseconds(CLOCK_MONOTONIC)
        for _ in 0..<count {
            let t0 = nanoseconds(CLOCK_MONOTONIC)
            try body()
            samples.append(Double(nanoseconds(CLOCK_MONOTONIC) - t0) / 1e6)
        }
        let wall = Double(nanoseconds(CLOCK_MONOTONIC) - wallStart)
        let cpu = Double(nanoseconds(CLOCK_PROCESS_CPUTIME_ID) - cpuStart)
        return Timing(samplesMs: samples, cpuOverWall: wall > 0 ? cpu / wall : 1)
    }

    /// The clock's current reading in nanoseconds.
    private static func nanoseconds(_ clock: clockid_t) -> UInt64 {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
