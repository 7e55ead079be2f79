/// The hyperbolic tangent y = tanh x, elementwise, with y′ = 1 − y² and y″ = −2y(1 − y²).
public final class Tanh<Scalar: BLASScalar>: Layer {
    public let inputSize: Int
    public var outputSize: Int { inputSize }
    public var parameterSegments: [ParameterSegment] { [] }
    public var summary: String { "tanh" }

    /// A tanh over `size` features.
    public init(_ size: Int) { inputSize = size }

    public func forward(input x: UnsafePointer<Scalar>, output y: UnsafeMutablePointer<Scalar>,
                        batch: Int, parameters θ: UnsafePointer<Scalar>) {
        Scalar.tanh(x, y, batch * inputSize)
    }

    public func backward(input x: UnsafePointer<Scalar>, output y: UnsafePointer<Scalar>,
                         gradOutput gy: UnsafePointer<Scalar>, gradInput gx: UnsafeMutablePointer<Scalar>?,
                         batch: Int, parameters θ: UnsafePointer<Scalar>,
                         gradParameters gθ: UnsafeMutablePointer<Scalar>) {
        if let gx { Scalar.tanhDerivative(y, gy, gx, batch * inputSize) }
    }

    public func forwardTangent(input x: UnsafePointer<Scalar>, inputTangent rx: UnsafePointer<Scalar>,
                               output y: UnsafePointer<Scalar>, outputTangent ry: UnsafeMutablePointer<Scalar>,
                               batch: Int, parameters θ: UnsafePointer<Scalar>, direction v: UnsafePointer<Scalar>) {
        Scalar.tanhDerivative(y, rx, ry, batch * inputSize)
    }

    public func backwardTangent(input x: UnsafePointer<Scalar>, inputTangent rx: UnsafePointer<Scalar>,
                                output y: UnsafePointer<Scalar>, outputTangent ry: UnsafePointer<Scalar>,
                                gradOutput gy: UnsafePointer<Scalar>, gradOutputTangent rgy: UnsafePointer<Scalar>,
                                gradInput gx: UnsafeMutablePointer<Scalar>?, gradInputTangent rgx: UnsafeMutablePointer<Scalar>?,
                                batch: Int, parameters θ: UnsafePointer<Scalar>, direction v: UnsafePointer<Scalar>,
                                gradParameters gθ: UnsafeMutablePointer<Scalar>, gradParametersTangent rgθ: UnsafeMutablePointer<Scalar>) {
        let n = batch * inputSize
        if let gx { Scalar.tanhDerivative(y, gy, gx, n) }
        // R{gx} = (1 − y²)·R{gy} − 2·y·R{y}·gy
        if let rgx {
            Scalar.tanhDerivative(y, rgy, rgx, n)
            Scalar.tanhCurvature(y, ry, gy, rgx, n)
        }
    }
}
