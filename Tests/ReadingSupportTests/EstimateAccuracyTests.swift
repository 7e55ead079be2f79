import Testing
import ReadingSupport

// `plan`'s last line compares estimates with the times done points took.
@Suite("Estimate accuracy")
struct EstimateAccuracyTests {
    @Test func summarisesRatiosOfEstimateToTime() throws {
        // Ratios 0.5, 1, 1.2, 2 and 1.3 (the ±30 % band is closed): three of five inside.
        let pairs: [(estimate: Double, measured: Double)] = [(5, 10), (10, 10), (12, 10), (20, 10), (13, 10)]
        let a = try #require(EstimateAccuracy(pairs))
        #expect(a.points == 5)
        #expect(a.medianRatio == 1.2)
        #expect(a.withinThirtyPercent == 0.6)
        #expect(a.estimatedTotal == 60 && a.measuredTotal == 50)
        #expect(a.description.contains("60 % within ±30 %"))
    }

    @Test func noTimesNoSummary() {
        #expect(EstimateAccuracy([]) == nil)
        #expect(EstimateAccuracy([(estimate: 3, measured: 0)]) == nil)
    }
}
