import Foundation
import ImplicitRegCore
import Testing

/// FIPS 180-4 / NIST example vectors, and the file path against the in-memory one.
@Suite("SHA-256")
struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func nistVectors(message: String, digest: String) {
        #expect(SHA256.hexDigest(of: Array(message.utf8)) == digest)
    }

    @Test func oneMillionAs() {
        let digest = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        #expect(SHA256.hexDigest(of: [UInt8](repeating: 0x61, count: 1_000_000)) == digest)
        // A collection without contiguous storage takes the copying path.
        #expect(SHA256.hexDigest(of: repeatElement(UInt8(0x61), count: 1_000_000)) == digest)
    }

    /// Files are hashed in 1 MiB chunks; lengths around the chunk and block sizes must agree
    /// with hashing the bytes in one piece (55/56/64 are the padding edge cases).
    @Test(arguments: [55, 56, 63, 64, 65, 1 << 20, (1 << 20) + 57, 3 * (1 << 20) + 7])
    func fileDigestEqualsInMemoryDigest(length: Int) throws {
        var rng = Xoshiro256StarStar(seed: UInt64(length))
        let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(try SHA256.hexDigest(ofFile: path) == SHA256.hexDigest(of: bytes))
    }

    @Test func missingFileThrowsNamingIt() {
        let error = #expect(throws: DataError.self) { try SHA256.hexDigest(ofFile: "/nonexistent/file.gz") }
        #expect(error?.description.contains("/nonexistent/file.gz") == true)
    }
}
