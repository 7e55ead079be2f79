import Foundation

/// A reading's claims file (schema 2): the paper, and every claim with its checks, controls and
/// tolerances. Validated on load; every error names the file, the claim id and the field.
public struct ClaimsFile: Sendable, Codable, Equatable {
    /// The schema this code reads.
    public static let schemaVersion = 2
    /// Profiles a claim may name.
    public static let knownProfiles: Set<String> = ["quick", "full", "paper"]

    /// Schema version (2).
    public var schema: Int
    /// The reading's executable name ("random-labels").
    public var reading: String
    /// The paper(s), for the report.
    public var paper: String
    /// The claims.
    public var claims: [Claim]

    public init(schema: Int, reading: String, paper: String, claims: [Claim]) {
        self.schema = schema; self.reading = reading; self.paper = paper; self.claims = claims
    }

    /// The claim with `id`, if any.
    public func claim(_ id: String) -> Claim? { claims.first { $0.id == id } }

    /// Reads and validates a claims file.
    public static func load(_ path: String) throws -> ClaimsFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError.unreadable(file: path, reason: "no such file (every reading keeps its claims in Reproductions/<reading>/claims.json)")
        }
        return try parse(data, file: path)
    }

    /// Parses and validates claims-file text; `file` names it in errors.
    public static func parse(_ data: Data, file: String) throws -> ClaimsFile {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ConfigError.unreadable(file: file, reason: "not valid JSON (\(error.localizedDescription))")
        }
        guard let top = object as? [String: Any] else {
            throw ConfigError.malformed(field: "", file: file, reason: "the top level must be a JSON object")
        }
        try checkShape(top, file: file)
        let decoded: ClaimsFile
        do {
            decoded = try JSONCoding.decoder.decode(ClaimsFile.self, from: data)
        } catch let error as DecodingError {
            throw ConfigError.malformed(field: error.fieldPath, file: file, reason: error.reasonText)
        }
        try decoded.checkValues(file: file)
        return decoded
    }

    // MARK: - Validation

    private static let topKeys: Set<String> = ["schema", "reading", "paper", "claims"]
    private static let claimKeys: Set<String> = ["id", "kind", "statement", "paper", "calibration", "checks", "controls", "profiles", "asserted", "note"]
    private static let claimRequired: Set<String> = ["id", "kind", "statement", "paper", "checks", "controls", "profiles", "asserted"]
    private static let paperKeys: Set<String> = ["statement", "value", "location", "verified"]
    private static let checkKeys: Set<String> = ["metric", "label", "comparison", "bounds", "standard_errors", "reason"]
    private static let checkRequired: Set<String> = ["metric", "label", "comparison", "bounds", "reason"]

    /// Unknown and missing keys, and the schema number, before decoding (so messages name the claim).
    private static func checkShape(_ top: [String: Any], file: String) throws {
        func fail(_ field: String, _ reason: String) -> ConfigError { .malformed(field: field, file: file, reason: reason) }
        func keys(_ object: [String: Any], allowed: Set<String>, required: Set<String>, at field: String) throws {
            for key in object.keys.sorted() where !allowed.contains(key) {
                throw fail(field.isEmpty ? key : "\(field).\(key)", "unknown field (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
            for key in required.sorted() where object[key] == nil {
                throw fail(field.isEmpty ? key : "\(field).\(key)", "required field is missing")
            }
        }
        guard let schema = top["schema"] as? Int else {
            throw fail("schema", "missing: this is a schema-1 claims file; schema \(schemaVersion) needs \"schema\": \(schemaVersion) and, per claim, kind, paper {statement, value, location, verified}, controls and asserted as a list of profiles (see README.md, \"Claims\")")
        }
        guard schema == schemaVersion else { throw fail("schema", "is \(schema); this version of the suite reads schema \(schemaVersion)") }
        try keys(top, allowed: topKeys, required: topKeys, at: "")
        guard let claims = top["claims"] as? [Any] else { throw fail("claims", "must be a list of claims") }
        for (i, item) in claims.enumerated() {
            guard let claim = item as? [String: Any] else { throw fail("claims[\(i)]", "must be an object") }
            let name = "claims.\((claim["id"] as? String) ?? "[\(i)]")"
            try keys(claim, allowed: claimKeys, required: claimRequired, at: name)
            guard let paper = claim["paper"] as? [String: Any] else { throw fail("\(name).paper", "must be an object {statement, value, location, verified}") }
            try keys(paper, allowed: paperKeys, required: paperKeys, at: "\(name).paper")
            for list in ["checks", "controls"] {
                guard let items = claim[list] as? [Any] else { throw fail("\(name).\(list)", "must be a list") }
                for (j, c) in items.enumerated() {
                    guard let check = c as? [String: Any] else { throw fail("\(name).\(list)[\(j)]", "must be an object") }
                    try keys(check, allowed: checkKeys, required: checkRequired, at: "\(name).\(list)[\(j)]")
                }
            }
        }
    }

    /// Values that decode but make no sense.
    private func checkValues(file: String) throws {
        func fail(_ field: String, _ reason: String) -> ConfigError { .malformed(field: field, file: file, reason: reason) }
        var seen = Set<String>()
        for claim in claims {
            let name = "claims.\(claim.id)"
            if !seen.insert(claim.id).inserted { throw fail(name, "duplicate claim id") }
            if claim.checks.isEmpty { throw fail("\(name).checks", "a claim needs at least one check") }
            for p in claim.profiles where !Self.knownProfiles.contains(p) {
                throw fail("\(name).profiles", "unknown profile \"\(p)\" (one of \(Self.knownProfiles.sorted().joined(separator: ", ")))")
            }
            for p in claim.asserted where !claim.profiles.contains(p) {
                throw fail("\(name).asserted", "asserts profile \"\(p)\", which is not among the claim's profiles \(claim.profiles)")
            }
            for (list, checks) in [("checks", claim.checks), ("controls", claim.controls)] {
                for (j, check) in checks.enumerated() {
                    let field = "\(name).\(list)[\(j)]"
                    let needed = check.comparison == .between ? 2 : 1
                    if check.bounds.count != needed { throw fail("\(field).bounds", "\(check.comparison.rawValue) needs \(needed) bound(s)") }
                    if check.bounds.contains(where: { !$0.isFinite }) { throw fail("\(field).bounds", "bounds must be finite") }
                    if check.comparison == .between, check.bounds[0] > check.bounds[1] { throw fail("\(field).bounds", "lower bound above upper bound") }
                    if let k = check.standardErrors, !(k > 0 && k.isFinite) { throw fail("\(field).standard_errors", "must be a positive number") }
                    if !check.metric.hasPrefix("/") { throw fail("\(field).metric", "must be an absolute HDF5 path (\"/summary/...\")") }
                }
            }
        }
    }
}
