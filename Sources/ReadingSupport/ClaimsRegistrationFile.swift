import Foundation
import ImplicitRegCore

/// `<out>/claims.registered.json`: the claims file in force when a results directory received its
/// first point. `run` writes it into a directory that holds no point yet and never replaces it;
/// `merge` copies it into summary.h5 `/meta`, where `verify` compares every claim with it.
enum ClaimsRegistrationFile {
    static let name = "claims.registered.json"

    /// The reading's claims file.
    static func claimsPath(root: String, reading: String) -> String { "\(root)/Reproductions/\(reading)/claims.json" }

    /// Registers the current claims file in `out` when `out` has no point files and no registration
    /// yet; returns what it did, for progress output (nil: nothing to say).
    @discardableResult
    static func registerIfFresh(out: String, claimsPath: String) throws -> String? {
        let fm = FileManager.default
        let target = "\(out)/\(name)"
        if fm.fileExists(atPath: target) { return nil }
        let points = (try? fm.contentsOfDirectory(atPath: "\(out)/points"))?.filter { $0.hasSuffix(".h5") } ?? []
        guard points.isEmpty else {
            return "\(out) holds points from before claims were registered (no \(name)): verify marks every claim post hoc until the profile is rerun into a fresh directory"
        }
        guard let text = fm.contents(atPath: claimsPath) else { return nil }
        _ = try ClaimsFile.parse(text, file: claimsPath)  // register only a valid claims file
        try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
        let temporary = "\(target).implicit-reg-tmp-\(getpid())"
        try text.write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, target) == 0 else {
            unlink(temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target])
        }
        return "registered \(claimsPath) as \(target) (claims changed after this point show as post hoc)"
    }

    /// Adds the registration of `out` (if any) to a summary's `/meta`.
    static func stamp(_ summary: inout HDF5Document, out: String) {
        let path = "\(out)/\(name)"
        guard let data = FileManager.default.contents(atPath: path) else { return }
        let text = String(decoding: data, as: UTF8.self)
        summary.setAttribute(ClaimVerification.MetaKey.registeredClaims, .string(text), on: "/meta")
        summary.setAttribute(ClaimVerification.MetaKey.registeredClaimsSHA256, .string(SHA256.hexDigest(of: Array(data))), on: "/meta")
        summary.setAttribute(ClaimVerification.MetaKey.registeredClaimsSource, .string(source(text: text)), on: "/meta")
    }

    /// The registration's own statement of origin (`"_registered"` key of reconstructed files) or the default.
    static func source(text: String) -> String {
        if let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
           let note = object["_registered"] as? String { return note }
        return "the claims file copied into the results directory by `run` before its first point"
    }
}
