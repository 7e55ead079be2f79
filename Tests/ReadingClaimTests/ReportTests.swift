import Foundation
import TestSupport
import Testing

/// REPORT.md is never stale: rendering it from the committed claims files and full-profile results
/// must give the committed text byte for byte (`make report` regenerates it).
@Suite("REPORT.md")
struct ReportTests {
    @Test func committedReportMatchesTheCommittedResults() throws {
        let root = ExecutableRunner.repositoryRoot
        let rendered = try ExecutableRunner.run(path: "/bin/bash", ["\(root)/Reproductions/render-report.sh", ExecutableRunner.binDirectory])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        let committed = try String(contentsOfFile: "\(root)/REPORT.md", encoding: .utf8)
        if rendered.stdout != committed {
            let a = committed.split(separator: "\n", omittingEmptySubsequences: false)
            let b = rendered.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let line = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
            Issue.record("""
                REPORT.md is stale: run `make report` and commit it. First difference at line \(line + 1):
                  committed: \(line < a.count ? String(a[line]) : "<end>")
                  rendered:  \(line < b.count ? String(b[line]) : "<end>")
                """)
        }
    }
}
