import Foundation

/// How long a results directory took to compute, from the `/meta` `start_time` and `end_time` of
/// its point files (`<dir>/points/*.h5`): the points' summed durations (one core each) and the
/// wall-clock span from the first start to the last end (shorter when points ran in parallel).
public struct RunTimes: Sendable, Equatable {
    /// Point files with both times.
    public var points: Int
    /// Σ (end − start) over the points, seconds.
    public var computeSeconds: Double
    /// max(end) − min(start), seconds.
    public var wallSeconds: Double
    /// The `/meta` `git_commit` values of the points (abbreviated to 10 digits, "+dirty" when the tree had changes), sorted.
    public var commits: [String] = []

    /// Nil when the directory has no point files with times.
    public static func measure(resultsDirectory dir: String) -> RunTimes? {
        let pointsDir = "\(dir)/points"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: pointsDir) else { return nil }
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        func date(_ value: AttributeValue?) -> Date? {
            guard case let .string(s)? = value else { return nil }
            return iso.date(from: s) ?? plain.date(from: s)
        }
        var count = 0, total = 0.0
        var first = Date.distantFuture, last = Date.distantPast
        var commits = Set<String>()
        for name in names.sorted() where name.hasSuffix(".h5") {
            guard let doc = try? HDF5Document.read(from: "\(pointsDir)/\(name)"),
                  let meta = doc.groupAttributes["/meta"],
                  let start = date(meta["start_time"]), let end = date(meta["end_time"]) else { continue }
            if case let .string(c)? = meta["git_commit"] {
                var dirty = false
                if case let .int(d)? = meta["git_dirty"] { dirty = d != 0 }
                commits.insert(String(c.prefix(10)) + (dirty ? "+dirty" : ""))
            }
            count += 1
            total += end.timeIntervalSince(start)
            first = min(first, start)
            last = max(last, end)
        }
        guard count > 0 else { return nil }
        return RunTimes(points: count, computeSeconds: total, wallSeconds: last.timeIntervalSince(first), commits: commits.sorted())
    }

    /// "42 points, 23.5 min of compute on one core each, 12.1 min wall clock".
    public var description: String {
        String(format: "%d point(s), %.1f min of compute (one core per point), %.1f min wall clock from first start to last end",
               points, computeSeconds / 60, wallSeconds / 60)
    }
}
