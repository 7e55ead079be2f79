import Foundation

/// A reading's claims file: the paper, and every claim with its checks and tolerances.
public struct ClaimsFile: Sendable, Codable, Equatable {
    /// The reading's executable name ("random-labels").
    public var reading: String
    /// The paper(s), for the report.
    public var paper: String
    /// The claims.
    public var claims: [Claim]

    /// Reads and validates a claims file; errors name the file.
    public static func load(_ path: String) throws -> ClaimsFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigError.unreadable(file: path, reason: "no such file (every reading keeps its claims in Reproductions/<reading>/claims.json)")
        }
        let file: ClaimsFile
        do {
            file = try JSONCoding.decoder.decode(ClaimsFile.self, from: data)
        } catch let error as DecodingError {
            throw ConfigError.malformed(field: error.fieldPath, file: path, reason: error.reasonText)
        }
        var seen = Set<String>()
        for claim in file.claims {
            if !seen.insert(claim.id).inserted {
                throw ConfigError.malformed(field: "claims.\(claim.id)", file: path, reason: "duplicate claim id")
            }
            for check in claim.checks {
                let needed = check.comparison == .between ? 2 : 1
                if check.bounds.count != needed {
                    throw ConfigError.malformed(field: "claims.\(claim.id).checks.bounds", file: path,
                                                reason: "\(check.comparison.rawValue) needs \(needed) bound(s)")
                }
            }
        }
        return file
    }
}
