import Foundation
import TestSupport
import Testing

/// Point ids are the SHA-256 of the reading, the resolved config and the point's JSON: a refactor
/// that changes how a point encodes, or a config default, silently orphans every committed point.
/// `plan --profile full` must list every committed point file as done (a full profile that runs
/// over several sittings has fewer files than points; none may be orphaned).
@Suite("committed point ids")
struct CommittedPointIdsTests {
    @Test(arguments: Readings.all)
    func everyCommittedPointIsStillAPointOfTheFullGrid(reading: String) throws {
        let points = "\(ExecutableRunner.repositoryRoot)/Reproductions/\(reading)/results/full/points"
        let files = try FileManager.default.contentsOfDirectory(atPath: points).filter { $0.hasSuffix(".h5") }
        let plan = try ExecutableRunner.run(reading, ["plan", "--profile", "full"])
        #expect(plan.status == 0, "\(plan.stderr)")
        // "<total> point(s), <done> done; …" (after it, plan may print how its estimates fared).
        let summary = plan.stdout.split(separator: "\n").last { $0.contains(" point(s), ") }.map(String.init) ?? ""
        let counts = summary.split(separator: " ").prefix(3)
        let total = counts.first.flatMap { Int($0) }, done = counts.count == 3 ? Int(counts[counts.index(counts.startIndex, offsetBy: 2)]) : nil
        #expect(done == files.count && (total ?? 0) >= files.count, "\(reading): \(files.count) committed point files, plan says: \(summary)")
    }
}
