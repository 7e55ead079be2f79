import Foundation
import TestSupport
import Testing

/// Point ids are the SHA-256 of the reading, the resolved config and the point's JSON: a refactor
/// that changes how a point encodes, or a config default, silently orphans every committed point.
/// `plan --profile full` must list every committed point file as done.
@Suite("committed point ids")
struct CommittedPointIdsTests {
    @Test(arguments: Readings.all)
    func everyCommittedPointIsStillAPointOfTheFullGrid(reading: String) throws {
        let points = "\(ExecutableRunner.repositoryRoot)/Reproductions/\(reading)/results/full/points"
        let files = try FileManager.default.contentsOfDirectory(atPath: points).filter { $0.hasSuffix(".h5") }
        let plan = try ExecutableRunner.run(reading, ["plan", "--profile", "full"])
        #expect(plan.status == 0, "\(plan.stderr)")
        let summary = plan.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(summary.hasPrefix("\(files.count) point(s), \(files.count) done"),
                "\(reading): \(files.count) committed point files, plan says: \(summary)")
    }
}
