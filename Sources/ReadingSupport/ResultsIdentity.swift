import Foundation
import ImplicitRegCore

/// Whether a results file belongs to a reading (and a profile), from its `/meta`: files written
/// by the suite name their reading (`reading`), their resolved config (`config`) and profile.
/// Files written before `reading` was recorded are accepted when their `config` decodes as the
/// reading's config type. A file that does not belong is refused with its name, so that another
/// reading's results are never checked against this reading's claims.
public enum ResultsIdentity {
    /// Throws ``ResultsIdentityError`` unless the `/meta` of the summary at `path` names
    /// `reading` (or, lacking `reading`, holds a config of its type), is a merged summary rather
    /// than a point file, and — with `profile` — was written by that profile.
    public static func checkSummary<R: Reading>(at path: String, reading: R.Type, profile: String?) throws {
        let document = try HDF5Document.read(from: path)
        try check(meta: document.groupAttributes["/meta"], file: path, reading: reading, profile: profile)
        if case let .string(point)? = document.groupAttributes["/meta"]?["point_id"] {
            throw ResultsIdentityError.notASummary(file: path, point: point)
        }
    }

    /// The check of ``checkSummary(at:reading:profile:)`` on attributes already read.
    public static func check<R: Reading>(meta: [String: AttributeValue]?, file: String, reading: R.Type, profile: String?) throws {
        guard let meta, case let .string(config)? = meta["config"] else { throw ResultsIdentityError.noMeta(file: file) }
        switch meta["reading"] {
        case let .string(name)? where name == R.name:
            break
        case let .string(name)?:
            throw ResultsIdentityError.otherReading(file: file, found: name, expected: R.name)
        case nil:
            do {
                _ = try JSONCoding.decoder.decode(R.Config.self, from: Data(config.utf8))
            } catch {
                throw ResultsIdentityError.foreignConfig(file: file, reading: R.name, reason: (error as? DecodingError).map {
                    "\($0.fieldPath.isEmpty ? "" : "\($0.fieldPath): ")\($0.reasonText)"
                } ?? "\(error)")
            }
        case let other?:
            throw ResultsIdentityError.otherReading(file: file, found: "\(other)", expected: R.name)
        }
        if let profile {
            guard case let .string(found)? = meta["profile"] else { throw ResultsIdentityError.otherProfile(file: file, found: nil, expected: profile) }
            guard found == profile else { throw ResultsIdentityError.otherProfile(file: file, found: found, expected: profile) }
        }
    }
}

/// A results file that does not belong to the reading or profile it is used for.
public enum ResultsIdentityError: Error, CustomStringConvertible, Equatable {
    /// No `/meta` group, or no `config` in it.
    case noMeta(file: String)
    /// `/meta` `reading` names another reading.
    case otherReading(file: String, found: String, expected: String)
    /// A file without `reading` whose config is not this reading's.
    case foreignConfig(file: String, reading: String, reason: String)
    /// `/meta` `profile` is another profile (or missing: `found` nil).
    case otherProfile(file: String, found: String?, expected: String)
    /// A point file where a merged summary belongs.
    case notASummary(file: String, point: String)

    public var description: String {
        switch self {
        case let .noMeta(file):
            "\(file) has no /meta config: it was not written by this suite's run or merge, so its numbers cannot be checked; rerun `merge`"
        case let .otherReading(file, found, expected):
            "\(file) holds results of the reading \(found), not \(expected): use \(found)'s executable, or point --results at \(expected)'s results"
        case let .foreignConfig(file, reading, reason):
            "\(file) names no reading in /meta and its config is not a \(reading) config (\(reason)): it belongs to another reading"
        case let .otherProfile(file, found?, expected):
            "\(file) was written by the \(found) profile, not \(expected): pass --profile \(found), or the results of the \(expected) profile"
        case let .otherProfile(file, nil, expected):
            "\(file) names no profile in /meta, so it cannot be checked as the \(expected) profile's results"
        case let .notASummary(file, point):
            "\(file) is the file of point \(point), not a merged summary: run `merge`"
        }
    }
}
