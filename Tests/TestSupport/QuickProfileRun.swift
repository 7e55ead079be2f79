import Foundation
import ImplicitRegCore
import Testing

/// One reading's quick profile run end to end, as every claim test starts: `<reading> run
/// --profile quick` into a fresh directory, `verify` (exit status 0), then the same verdict
/// in-process claim by claim, so that a failure names the claim and its measured numbers. Every
/// asserted claim the quick profile measures must be reproduced. The caller removes `out`.
public struct QuickProfileRun {
    public let out: String
    public let summary: HDF5Document
    public let verification: ClaimVerification

    public init(_ reading: String, tag: String, seed: UInt64? = nil) throws {
        out = try ExecutableRunner.temporaryDirectory("\(tag)-quick\(seed.map { "-seed\($0)" } ?? "")")
        let run = try ExecutableRunner.run(reading, ["run", "--profile", "quick", "--out", out, "--quiet"] + (seed.map { ["--seed", String($0)] } ?? []))
        #expect(run.status == 0, "\(reading) run failed: \(run.stderr)")
        let verify = try ExecutableRunner.run(reading, ["verify", "--results", out, "--profile", "quick"])
        #expect(verify.status == 0, "verify failed:\n\(verify.stdout)\(verify.stderr)")
        let claims = try ClaimsFile.load("\(ExecutableRunner.repositoryRoot)/Reproductions/\(reading)/claims.json")
        verification = try ClaimVerification.run(claims: claims, resultsDirectory: out, profile: "quick")
        for verdict in verification.verdicts where verdict.claim.profiles.contains("quick") && verdict.claim.isAsserted(in: "quick") {
            #expect(verdict.status == .reproduced,
                    "\(reading) seed \(seed.map(String.init) ?? "default"): \(verdict.claim.id) is \(verdict.status.rawValue): \((verdict.results + verdict.controls).map { "\($0.check.label) = \($0.measuredText)" }) \(verdict.inconclusiveReasons)")
            #expect(verdict.postHoc.isEmpty, "\(verdict.claim.id): a fresh run registers the claims it ran under, so nothing is post hoc: \(verdict.postHoc)")
        }
        summary = try HDF5Document.read(from: "\(out)/summary.h5")
        #expect(summary.groupAttributes["/meta"]?["config"] != nil)
    }
}
