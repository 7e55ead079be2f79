import Foundation
import ImplicitRegCore
import TestSupport
import Testing

/// Tests/fixtures/reference-fixture.json, written once by Tests/fixtures/make_reference_fixture.py:
/// inputs, labels, parameters (in the flat layout of ``Sequential``), loss, gradient and a
/// Hessian-vector product of two small networks, computed in NumPy float64 by a forward and
/// backward pass written independently of the core. The finite-difference checks compare the core
/// with itself; this compares it with someone else's arithmetic, so a mistake made the same way in
/// a layer's forward and backward (or in the parameter layout) shows too.
struct ReferenceFixture: Decodable {
    /// The fixture format this test reads; the generator's `VERSION` must match.
    static let expectedVersion = 1

    struct Model: Decodable {
        struct Architecture: Decodable {
            var kind: String
            var input: Int?, hidden: Widths?, output: Int?, activation: String?
            var channels: Int?, height: Int?, width: Int?, classes: Int?, filters: [Int]?
        }
        /// `hidden`: the MLP's list of widths, or the CNN's one dense width.
        struct Widths: Decodable {
            var values: [Int]
            init(from decoder: any Decoder) throws {
                let c = try decoder.singleValueContainer()
                values = try (try? c.decode([Int].self)) ?? [c.decode(Int.self)]
            }
        }
        var name: String
        var architecture: Architecture
        var batch: Int
        var inputs: [Double]
        var labels: [Int32]
        var parameters: [Double]
        var v: [Double]
        var loss: Double
        var gradient: [Double]
        var hvp: [Double]
    }

    var version: Int
    var generator: String
    var models: [Model]

    static let path = "\(ExecutableRunner.repositoryRoot)/Tests/fixtures/reference-fixture.json"

    /// Reads the fixture, refusing any other version with a message that says what to do.
    static func load(from path: String = path) throws -> ReferenceFixture {
        struct Header: Decodable { var version: Int? }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let version = try JSONDecoder().decode(Header.self, from: data).version
        guard version == expectedVersion else {
            throw FixtureError.version(found: version, expected: expectedVersion, path: path)
        }
        return try JSONDecoder().decode(ReferenceFixture.self, from: data)
    }
}

enum FixtureError: Error, CustomStringConvertible {
    case version(found: Int?, expected: Int, path: String)
    case architecture(model: String, kind: String)

    var description: String {
        switch self {
        case let .version(found, expected, path):
            "\(path) has version \(found.map(String.init) ?? "none"), this test reads version \(expected): "
                + "regenerate it with Tests/fixtures/make_reference_fixture.py, or bump ReferenceFixture.expectedVersion "
                + "together with the generator's VERSION and this test"
        case let .architecture(model, kind):
            "\(model): unknown architecture kind \(kind) (mlp or small-cnn)"
        }
    }
}

extension ReferenceFixture.Model {
    /// The core's builder for the architecture the fixture names.
    func layers() throws -> [any Layer<Double>] {
        let a = architecture
        switch a.kind {
        case "mlp":
            let activation = try #require(a.activation.flatMap(Activation.init(rawValue:)), "\(name): unknown activation")
            return Architectures.mlp(input: try #require(a.input), hidden: try #require(a.hidden).values,
                                     output: try #require(a.output), activation: activation)
        case "small-cnn":
            let f = try #require(a.filters)
            return Architectures.smallCNN(channels: try #require(a.channels), height: try #require(a.height),
                                          width: try #require(a.width), classes: try #require(a.classes),
                                          filters: (f[0], f[1]), hidden: try #require(a.hidden?.values.first))
        default:
            throw FixtureError.architecture(model: name, kind: a.kind)
        }
    }
}

/// Checks `actual` against `expected` to `tolerance` relative to max |expected|; the failure names
/// the tensor and its worst element.
func expectClose(_ actual: [Double], _ expected: [Double], tolerance: Double, _ tensor: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual.count == expected.count else {
        Issue.record("\(tensor): \(actual.count) values, the fixture has \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    let scale = expected.map(abs).max() ?? 0
    let errors = zip(actual, expected).map { abs($0 - $1) }
    let worst = errors.indices.max { errors[$0] < errors[$1] } ?? 0
    let relative = errors.isEmpty ? 0 : errors[worst] / scale
    #expect(scale > 0, "\(tensor): the reference is all zeros, the check would be vacuous", sourceLocation: sourceLocation)
    #expect(relative <= tolerance,
            "\(tensor): worst element [\(worst)] expected \(expected[worst]), actual \(actual[worst]); error \(relative) of max |expected| \(scale) (tolerance \(tolerance))",
            sourceLocation: sourceLocation)
}

// The test can fail. With Dense's weight gradient scaled by 1.001 on purpose (in `Dense.backward`,
// `for i in 0..<weightCount { gθ[i] *= 1.001 }` after the `outer` product), it reported
//
//   MLP gradient: worst element [40] expected -0.21426603181947967, actual -0.21448029785129913;
//     error 0.0005734827939383653 of max |expected| 0.37362242439392623 (tolerance 1e-06)
//   CNN gradient: worst element [97] expected 4.836820451398724, actual 4.841657271850122;
//     error 0.0009999999999997572 of max |expected| 4.836820451398724 (tolerance 1e-06)
//
// and with the same change to the weight part of R{∇L} (`rgθ`, in `Dense.tangentBackward`)
//
//   MLP Hessian-vector product: worst element [29] expected -0.8313152572103631, actual -0.832146572741761;
//     error 0.0010000003298236719 of max |expected| 0.8313152572103631 (tolerance 1e-06)
//   CNN Hessian-vector product: worst element [97] expected -12.563754922245705, actual -12.576318676429322;
//     error 0.0009999999412095575 of max |expected| 12.563754922245705 (tolerance 1e-06)
//
// (the digits past 1e-3 are the agreement when nothing is broken: ~1e-16 for the gradient, ~3e-10
// for Hv, the reference's central-difference error). Both passed again once reverted.
@Suite("reference fixture (NumPy float64)")
struct ReferenceFixtureTests {
    /// Loss and gradient are one forward and backward pass from the same numbers in a different
    /// order of summation: agreement is to rounding (~1e-15); 1e-6 of max |·| leaves room for BLAS
    /// blocking and still catches any wrong term (a missing or extra factor changes whole entries).
    /// The fixture's Hv is a central difference (h = 1e-5) of its exact gradient, accurate to ~1e-9
    /// relative (the generator checks h against h/2); the core's is exact (R-operator), so 1e-6
    /// is the same bound with the reference's own error well inside it.
    static let tolerance = 1e-6

    @Test func fixtureHasTheExpectedVersion() throws {
        let fixture = try ReferenceFixture.load()
        #expect(fixture.version == ReferenceFixture.expectedVersion)
        #expect(fixture.models.map(\.name) == ["MLP", "CNN"])
    }

    @Test(arguments: ["MLP", "CNN"])
    func coreMatchesTheReference(model name: String) throws {
        let fixture = try ReferenceFixture.load()
        let m = try #require(fixture.models.first { $0.name == name }, "the fixture has no model \(name)")
        let net = Sequential<Double>(try m.layers(), loss: SoftmaxCrossEntropy())
        try #require(net.parameterCount == m.parameters.count,
                     "\(name): the core's model has \(net.parameterCount) parameters, the fixture \(m.parameters.count)")
        try #require(m.inputs.count == m.batch * net.inputSize && m.labels.count == m.batch, "\(name): fixture shapes")
        for (i, value) in m.parameters.enumerated() { net.parameters.pointer[i] = value }

        var hv = [Double](repeating: .nan, count: net.parameterCount)
        var gradient = hv
        var hvpLoss = Double.nan
        let loss = m.labels.withUnsafeBufferPointer { l in
            m.inputs.withUnsafeBufferPointer { x in
                let targets = TargetBatch<Double>(labels: l.baseAddress, values: nil)
                let loss = net.lossAndGradient(x.baseAddress, targets: targets, batch: m.batch).loss
                gradient = net.gradient.array(count: net.parameterCount)
                m.v.withUnsafeBufferPointer { v in
                    hv.withUnsafeMutableBufferPointer { out in
                        hvpLoss = net.hessianVectorProduct(v.baseAddress!, into: out.baseAddress!, inputs: x.baseAddress,
                                                           targets: targets, batch: m.batch)
                    }
                }
                return loss
            }
        }
        expectClose([loss], [m.loss], tolerance: Self.tolerance, "\(name) loss")
        expectClose([hvpLoss], [m.loss], tolerance: Self.tolerance, "\(name) loss (Hessian-vector pass)")
        expectClose(gradient, m.gradient, tolerance: Self.tolerance, "\(name) gradient")
        expectClose(hv, m.hvp, tolerance: Self.tolerance, "\(name) Hessian-vector product")
    }

    /// A fixture of another version (or none) fails with a message that says what to do.
    @Test(arguments: [#"{"version": 2, "models": []}"#, #"{"models": []}"#])
    func otherVersionIsRefusedClearly(text: String) throws {
        let dir = try ExecutableRunner.temporaryDirectory("fixture")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/fixture.json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ReferenceFixture.load(from: path)
            Issue.record("a fixture of another version was read")
        } catch {
            let message = "\(error)"
            #expect(message.contains(path) && message.contains("this test reads version \(ReferenceFixture.expectedVersion)")
                        && message.contains("make_reference_fixture.py"), "\(message)")
        }
    }
}
