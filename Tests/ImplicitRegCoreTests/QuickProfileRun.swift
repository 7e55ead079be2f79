import Foundation
import ImplicitRegCore
import Testing

/// One reading's quick profile run end to end, as every claim test starts: `<reading> run
/// --profile quick` into a fresh directory, `verify` (exit status 0), then the same verdict
/// in-process claim by claim, so that a failure names the claim and its measured numbers. Every
/// asserted claim the quick profile measures must be reproduced. The caller removes `out`.
struct QuickProfileRun {
    let out: String
    let summary: HDF5Document
    let verification: ClaimVerification

    init(_ reading: String, tag: String) throws {
        out = try ExecutableRunner.temporaryDirectory("\(tag)-quick")
        let run = try ExecutableRunner.run(reading, ["run", "--profile", "quick", "--out", out, "--quiet"])
        #expect(run.status == 0, "\(reading) run failed: \(run.stderr)")
        let verify = try ExecutableRunner.run(reading, ["verify", "--results", out, "--profile", "quick"])
        #expect(verify.status == 0, "verify failed:\n\(verify.stdout)\(verify.stderr)")
        let claims = try ClaimsFile.load("\(ExecutableRunner.repositoryRoot)/Reproductions/\(reading)/claims.json")
        verification = try ClaimVerification.run(claims: claims, resultsDirectory: out, profile: "quick")
        for verdict in verification.verdicts where verdict.claim.profiles.contains("quick") && verdict.claim.asserted {
            #expect(verdict.status == .reproduced, "\(verdict.claim.id): \(verdict.results.map { "\($0.check.label) = \($0.measured ?? .nan)" })")
        }
        summary = try HDF5Document.read(from: "\(out)/summary.h5")
        #expect(summary.groupAttributes["/meta"]?["config"] != nil)
    }
}
