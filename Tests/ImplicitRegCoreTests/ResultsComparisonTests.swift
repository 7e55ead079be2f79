import Foundation
import ImplicitRegCore
import TestSupport
import Testing

/// `compare A B`: config keys that differ, claim metrics with both statuses, datasets identical /
/// within tolerance / beyond it, point files in only one directory.
@Suite("results comparison")
struct ResultsComparisonTests {
    static func summary(config: String, x: Double, curve: [Double]) -> HDF5Document {
        var d = HDF5Document()
        d.setAttribute("config", .string(config), on: "/meta")
        d.addScalar("/summary/x", x, units: "1", description: "x")
        d.addDataset("/curves/c", .double(curve), units: "1", description: "c")
        return d
    }

    @Test func namesConfigChangesMetricDeltasAndDatasetDifferences() throws {
        let root = try ExecutableRunner.temporaryDirectory("compare")
        defer { try? FileManager.default.removeItem(atPath: root) }
        for dir in ["a", "b"] { try FileManager.default.createDirectory(atPath: "\(root)/\(dir)/points", withIntermediateDirectories: true) }
        try Self.summary(config: #"{"seed": 0, "training": {"lr": 0.1}}"#, x: 1.0, curve: [1, 2, 3]).write(to: "\(root)/a/summary.h5")
        try Self.summary(config: #"{"seed": 0, "training": {"lr": 0.2}}"#, x: -1.0, curve: [1, 2, 3 * (1 + 1e-8)]).write(to: "\(root)/b/summary.h5")
        try Data().write(to: URL(fileURLWithPath: "\(root)/a/points/p1.h5"))
        let claims = try ClaimsFile.parse(Data(ClaimsTests.file().utf8), file: "claims.json")
        let c = try ResultsComparison.compare(claims: claims, first: "\(root)/a", second: "\(root)/b", tolerance: 1e-6)
        #expect(c.configDifferences.map(\.key) == ["training.lr"])
        #expect(c.statusChanges == ["c1: reproduced → not reproduced"])
        #expect(c.beyondTolerance.map(\.path) == ["/summary/x"])
        #expect(c.withinTolerance.map(\.path) == ["/curves/c"])
        #expect(c.pointsOnlyInFirst == ["p1.h5"] && c.pointsOnlyInSecond.isEmpty)
        #expect(c.text.contains("training.lr: 0.1 → 0.2"))
    }
}
