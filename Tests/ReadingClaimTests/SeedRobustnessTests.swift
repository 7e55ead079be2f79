import Foundation
import ImplicitRegCore
import TestSupport
import Testing

/// Every claim asserted on the quick profile must hold for any seed, not only the default one the
/// claims were developed on. Each reading's quick profile runs again on two seeds that nothing else
/// in the repository uses (the default-seed run is in each reading's claim tests); a claim that
/// cannot hold robustly at quick scale is not asserted there (the full profile carries it).
@Suite("seed robustness of the quick profiles")
struct SeedRobustnessTests {
    /// Seeds used only here. Readings derive per-run seeds as seed + offset (offsets < 20), so these
    /// runs share no seed with the default (0), the full profiles (0–9) or the pilots (5101–5301).
    static let seeds: [UInt64] = [7_349, 91_781]

    @Test(arguments: Readings.all, seeds)
    func assertedQuickClaimsHoldOnAnotherSeed(reading: String, seed: UInt64) throws {
        let run = try QuickProfileRun(reading, tag: "seed", seed: seed)
        defer { try? FileManager.default.removeItem(atPath: run.out) }
        if case let .int(s)? = run.summary.groupAttributes["/meta"]?["seed"] { #expect(UInt64(s) == seed) }
    }
}
