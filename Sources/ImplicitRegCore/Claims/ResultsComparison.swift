import Foundation

/// Two results directories of one reading side by side: the config keys that differ, every claim
/// metric with both values and both statuses, every dataset of the two summaries (identical, or the
/// largest relative difference), and the point files present in only one.
///
/// Results are not bit-identical across CPUs (different BLAS kernels round differently: a full
/// profile rerun on another x86 machine gave up to 3.4e-7 relative), so datasets are "equal within
/// tolerance" when every element's |a − b| / max(|a|, |b|) is at most `tolerance`.
public struct ResultsComparison: Sendable {
    /// One dataset present in both summaries.
    public struct DatasetDifference: Sendable {
        public var path: String
        /// Largest relative difference over the elements (0: identical values; .infinity: shapes or
        /// types differ, or NaN against a number).
        public var largestRelative: Double
    }

    public var reading: String
    public var first: String
    public var second: String
    public var tolerance: Double
    public var configDifferences: [(key: String, first: String, second: String)]
    public var verdicts: [(ClaimVerdict, ClaimVerdict)]
    public var datasets: [DatasetDifference]
    public var onlyInFirst: [String]
    public var onlyInSecond: [String]
    public var pointsOnlyInFirst: [String]
    public var pointsOnlyInSecond: [String]

    /// Reads `<first>/summary.h5` and `<second>/summary.h5` and compares them under `claims`.
    public static func compare(claims: ClaimsFile, first: String, second: String, tolerance: Double) throws -> ResultsComparison {
        let a = try HDF5Document.read(from: "\(first)/summary.h5")
        let b = try HDF5Document.read(from: "\(second)/summary.h5")
        let va = ClaimVerification.check(claims: claims, summary: a, resultsDirectory: first, profile: nil)
        let vb = ClaimVerification.check(claims: claims, summary: b, resultsDirectory: second, profile: nil)
        func config(_ d: HDF5Document) -> [String: String] {
            guard case let .string(text)? = d.groupAttributes["/meta"]?["config"] else { return [:] }
            return flatten(text)
        }
        let ca = config(a), cb = config(b)
        let keys = Set(ca.keys).union(cb.keys).sorted()
        let configDifferences = keys.compactMap { k -> (String, String, String)? in
            ca[k] == cb[k] ? nil : (k, ca[k] ?? "(absent)", cb[k] ?? "(absent)")
        }
        let pathsA = Set(a.datasets.keys), pathsB = Set(b.datasets.keys)
        let shared = pathsA.intersection(pathsB).sorted()
        let datasets = shared.map { DatasetDifference(path: $0, largestRelative: largestRelativeDifference(a.datasets[$0]!, b.datasets[$0]!)) }
        func points(_ dir: String) -> Set<String> {
            Set(((try? FileManager.default.contentsOfDirectory(atPath: "\(dir)/points")) ?? []).filter { $0.hasSuffix(".h5") })
        }
        let pa = points(first), pb = points(second)
        return ResultsComparison(reading: claims.reading, first: first, second: second, tolerance: tolerance,
                                 configDifferences: configDifferences, verdicts: Array(zip(va.verdicts, vb.verdicts)),
                                 datasets: datasets, onlyInFirst: pathsA.subtracting(pathsB).sorted(), onlyInSecond: pathsB.subtracting(pathsA).sorted(),
                                 pointsOnlyInFirst: pa.subtracting(pb).sorted(), pointsOnlyInSecond: pb.subtracting(pa).sorted())
    }

    /// Flattens JSON text into dotted keys with JSON-literal values.
    public static func flatten(_ text: String) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else { return [:] }
        var out: [String: String] = [:]
        func walk(_ value: Any, _ key: String) {
            if let dict = value as? [String: Any], !dict.isEmpty {
                for (k, v) in dict { walk(v, key.isEmpty ? k : "\(key).\(k)") }
            } else if let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) {
                out[key] = String(decoding: data, as: UTF8.self)
            }
        }
        walk(object, "")
        return out
    }

    /// max over elements of |a − b| / max(|a|, |b|); 0 for identical values, .infinity when shapes differ.
    static func largestRelativeDifference(_ a: HDF5Dataset, _ b: HDF5Dataset) -> Double {
        if a.values == b.values { return 0 }
        guard a.shape == b.shape else { return .infinity }
        func doubles(_ v: DatasetValues) -> [Double] {
            switch v {
            case let .double(x): return x
            case let .float(x): return x.map(Double.init)
            case let .int32(x): return x.map(Double.init)
            case let .int64(x): return x.map(Double.init)
            }
        }
        let x = doubles(a.values), y = doubles(b.values)
        guard x.count == y.count else { return .infinity }
        var worst = 0.0
        for (p, q) in zip(x, y) where !(p == q || (p.isNaN && q.isNaN)) {
            if p.isNaN || q.isNaN || p.isInfinite || q.isInfinite { return .infinity }
            worst = max(worst, abs(p - q) / max(abs(p), abs(q)))
        }
        return worst
    }

    /// Datasets with identical values.
    public var identical: [DatasetDifference] { datasets.filter { $0.largestRelative == 0 } }
    /// Datasets that differ but within the tolerance.
    public var withinTolerance: [DatasetDifference] { datasets.filter { $0.largestRelative > 0 && $0.largestRelative <= tolerance } }
    /// Datasets that differ by more than the tolerance.
    public var beyondTolerance: [DatasetDifference] { datasets.filter { $0.largestRelative > tolerance } }
    /// Claims whose status differs between the two.
    public var statusChanges: [String] {
        verdicts.filter { $0.0.status != $0.1.status }.map { "\($0.0.claim.id): \($0.0.status.rawValue) → \($0.1.status.rawValue)" }
    }

    /// The report, plain text.
    public var text: String {
        var out = ["\(reading): \(first) (A) vs \(second) (B)", ""]
        out.append(configDifferences.isEmpty ? "Config: identical." : "Config keys that differ (A → B):")
        for d in configDifferences { out.append("  \(d.key): \(d.first) → \(d.second)") }
        out += ["", "Claims (metric: A, B, B − A; status A → B):"]
        for (va, vb) in verdicts {
            out.append("  \(va.claim.id) [\(va.claim.kind.rawValue)]: \(va.status.rawValue) → \(vb.status.rawValue)" + (va.status == vb.status ? "" : "  (CHANGED)"))
            for (ra, rb) in zip(va.results + va.controls, vb.results + vb.controls) {
                let delta = (ra.measured != nil && rb.measured != nil) ? String(format: "%+.3g", rb.measured! - ra.measured!) : "—"
                out.append("    \(ra.check.label.prefix(70)): \(ra.measuredText), \(rb.measuredText), \(delta)")
            }
        }
        out += ["", String(format: "Datasets in both summaries: %d — %d identical, %d within %.0e relative, %d beyond it.",
                           datasets.count, identical.count, withinTolerance.count, tolerance, beyondTolerance.count)]
        if let worst = datasets.max(by: { $0.largestRelative < $1.largestRelative }), worst.largestRelative > 0 {
            out.append(String(format: "  largest relative difference: %.3g at %@", worst.largestRelative, worst.path))
        }
        for d in beyondTolerance.prefix(20) { out.append(String(format: "  beyond tolerance: %@ (%.3g)", d.path, d.largestRelative)) }
        if beyondTolerance.count > 20 { out.append("  … and \(beyondTolerance.count - 20) more") }
        if !onlyInFirst.isEmpty { out.append("Datasets only in A: \(onlyInFirst.count) (e.g. \(onlyInFirst.prefix(3).joined(separator: ", ")))") }
        if !onlyInSecond.isEmpty { out.append("Datasets only in B: \(onlyInSecond.count) (e.g. \(onlyInSecond.prefix(3).joined(separator: ", ")))") }
        out.append("Point files only in A: \(pointsOnlyInFirst.count); only in B: \(pointsOnlyInSecond.count).")
        out.append(statusChanges.isEmpty ? "No claim changed status." : "Claims that changed status: " + statusChanges.joined(separator: "; "))
        return out.joined(separator: "\n")
    }
}
