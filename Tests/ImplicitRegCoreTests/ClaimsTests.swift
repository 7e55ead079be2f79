import Foundation
import ImplicitRegCore
import TestSupport
import Testing

/// The claims schema (validated on load, errors naming file, claim and field), the statuses
/// (controls make a claim inconclusive; seed statistics decide directional checks), and
/// pre-registration (a claim changed after its results is post hoc).
@Suite("claims: schema, statuses, registration")
struct ClaimsTests {
    static let check = #"{"metric": "/summary/x", "label": "x", "comparison": ">=", "bounds": [0], "reason": "r"}"#

    static func file(claim: String = "", paper: String = #"{"statement": "s", "value": "v", "location": "§1", "verified": true}"#,
                     controls: String = "[]", asserted: String = #"["quick"]"#) -> String {
        #"{"schema": 2, "reading": "r", "paper": "p", "claims": [{"id": "c1", "kind": "empirical", "statement": "s", "#
            + #""paper": \#(paper), "checks": [\#(check)], "controls": \#(controls), "profiles": ["quick", "full"], "asserted": \#(asserted)\#(claim)}]}"#
    }

    static func parse(_ text: String) throws -> ClaimsFile { try ClaimsFile.parse(Data(text.utf8), file: "claims.json") }

    static func message(_ text: String) -> String {
        do { _ = try parse(text); return "" } catch { return "\(error)" }
    }

    @Test func everyCommittedClaimsFileLoads() throws {
        for reading in Readings.all {
            let file = try ClaimsFile.load("\(ExecutableRunner.repositoryRoot)/Reproductions/\(reading)/claims.json")
            #expect(file.reading == reading)
            #expect(!file.claims.isEmpty)
        }
    }

    @Test func validFileParses() throws {
        let f = try Self.parse(Self.file())
        #expect(f.claims[0].kind == .empirical)
        #expect(f.claims[0].isAsserted(in: "quick") && !f.claims[0].isAsserted(in: "full"))
    }

    @Test func unknownFieldIsNamed() {
        let m = Self.message(Self.file(claim: #", "colour": "red""#))
        #expect(m.contains("claims.c1.colour") && m.contains("unknown field") && m.contains("claims.json"), "\(m)")
    }

    @Test func missingKindIsNamed() {
        let text = Self.file().replacingOccurrences(of: #""kind": "empirical", "#, with: "")
        let m = Self.message(text)
        #expect(m.contains("claims.c1.kind") && m.contains("missing"), "\(m)")
    }

    @Test func missingVerifiedIsNamed() {
        let m = Self.message(Self.file(paper: #"{"statement": "s", "value": "v", "location": "§1"}"#))
        #expect(m.contains("claims.c1.paper.verified") && m.contains("missing"), "\(m)")
    }

    @Test func schemaOneIsRefusedWithTheWayForward() {
        let m = Self.message(#"{"reading": "r", "paper": "p", "claims": []}"#)
        #expect(m.contains("schema") && m.contains("kind"), "\(m)")
    }

    @Test func assertedProfileMustBeAmongProfiles() {
        let m = Self.message(Self.file(asserted: #"["paper"]"#))
        #expect(m.contains("claims.c1.asserted"), "\(m)")
    }

    static func claim(controls: [ClaimCheck] = [], standardErrors: Double? = nil) -> Claim {
        Claim(id: "c", kind: .empirical, statement: "s", paper: PaperReference(statement: "s", value: "v", location: "l", verified: false),
              calibration: nil,
              checks: [ClaimCheck(metric: "/m", label: "m", comparison: .atLeast, bounds: [0], standardErrors: standardErrors, reason: "r")],
              controls: controls, profiles: ["full"], asserted: ["full"], note: nil)
    }

    @Test func failedControlMakesTheClaimInconclusiveAndFailsVerify() {
        let control = ClaimCheck(metric: "/converged", label: "every run converged", comparison: .atLeast, bounds: [1], standardErrors: nil, reason: "r")
        let file = ClaimsFile(schema: 2, reading: "r", paper: "p", claims: [Self.claim(controls: [control])])
        let ok = file.verdicts(lookup: { ["/m": 1, "/converged": 1][$0] })[0]
        #expect(ok.status == .reproduced)
        let confounded = file.verdicts(lookup: { ["/m": 1, "/converged": 0][$0] })[0]
        #expect(confounded.status == .inconclusive)
        #expect(confounded.fails(profile: "full"))
        let unmeasured = file.verdicts(lookup: { ["/m": 1][$0] })[0]
        #expect(unmeasured.status == .inconclusive)
    }

    @Test func directionalCheckNeedsTwoStandardErrors() {
        let file = ClaimsFile(schema: 2, reading: "r", paper: "p", claims: [Self.claim(standardErrors: 2)])
        func status(_ values: [Double]) -> ClaimStatus {
            file.verdicts(lookup: MetricLookup(scalar: { _ in nil }, seedStatistic: { $0 == "/m" ? SeedStatistic(values) : nil }))[0].status
        }
        // mean 0.01, sd 0.01, n = 4: SE 0.005, mean − 2 SE = 0 → holds (≥ 0).
        #expect(status([0.0, 0.01, 0.01, 0.02]) == .reproduced)
        // Same mean, larger spread: mean − 2 SE < 0 → not reproduced.
        #expect(status([-0.02, 0.0, 0.02, 0.04]) == .notReproduced)
        // One seed has no standard error: undecidable, so inconclusive.
        #expect(status([0.5]) == .inconclusive)
    }

    @Test func seedStatisticMatchesTheTextbookFormulas() {
        let s = SeedStatistic([1, 2, 3, 4])
        #expect(s.mean == 2.5)
        #expect(abs(s.standardDeviation - (5.0 / 3).squareRoot()) < 1e-15)
        #expect(abs(s.standardError - (5.0 / 3).squareRoot() / 2) < 1e-15)
    }

    @Test func claimChangedAfterItsResultsIsPostHoc() throws {
        let registered = Self.file()
        let registration = try #require(ClaimRegistration(text: registered, source: "test"))
        let same = try Self.parse(registered)
        #expect(registration.changes(of: same.claims[0]).isEmpty)
        let widened = try Self.parse(registered.replacingOccurrences(of: #""bounds": [0]"#, with: #""bounds": [-1]"#))
        #expect(registration.changes(of: widened.claims[0]).contains { $0.hasPrefix("checks changed") })
        let deasserted = try Self.parse(Self.file(asserted: "[]"))
        #expect(registration.changes(of: deasserted.claims[0]).contains { $0.hasPrefix("asserted changed") })
        let controlled = try Self.parse(Self.file(controls: "[\(Self.check)]"))
        #expect(registration.changes(of: controlled.claims[0]) == ["controls added"])
        // Wording may change freely.
        let reworded = try Self.parse(registered.replacingOccurrences(of: #""reason": "r""#, with: #""reason": "better words""#))
        #expect(registration.changes(of: reworded.claims[0]).isEmpty)
    }

    @Test func schemaOneRegistrationIsReadLeniently() throws {
        let v1 = #"{"reading": "r", "claims": [{"id": "c1", "asserted": true, "profiles": ["quick", "full"], "checks": [\#(Self.check)]}]}"#
        let registration = try #require(ClaimRegistration(text: v1, source: "git"))
        let now = try Self.parse(Self.file(asserted: #"["quick", "full"]"#))
        #expect(registration.changes(of: now.claims[0]).isEmpty)
    }

    @Test func tableFitsOneHundredTwentyColumns() throws {
        var file = try Self.parse(Self.file())
        file.claims[0].checks[0].label = String(repeating: "a long label ", count: 20)
        let v = ClaimVerification.check(claims: file, summary: HDF5Document(), resultsDirectory: "r", profile: "quick")
        for line in v.table().split(separator: "\n") where !line.hasPrefix("  post hoc") && !line.hasPrefix("r (") {
            #expect(line.count <= 120, "\(line.count): \(line)")
        }
    }
}
