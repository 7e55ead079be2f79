/// The identity activation y = x (deep linear networks use it between dense layers).
public final class Identity<Scalar: BLASScalar>: Layer {
    public let inputSize: Int
    public var outputSize: Int { inputSize }
    public var parameterSegments: [ParameterSegment] { [] }
    public var summary: String { "identity" }

    /// An identity over `size` features.
    public init(_ size: Int) { inputSize = size }

    public func forward(input x: UnsafePointer<Scalar>, output y: UnsafeMutablePointer<Scalar>,
                        batch: Int, parameters θ: UnsafePointer<Scalar>) {
        Scalar.copy(x, y, batch * inputSize)
    }

    public func backward(input x: UnsafePointer<Scalar>, output y: UnsafePointer<Scalar>,
                         gradOutput gy: UnsafePointer<Scalar>, gradInput gx: UnsafeMutablePointer<Scalar>?,
                         batch: Int, parameters θ: UnsafePointer<Scalar>,
                         gradParameters gθ: UnsafeMutablePointer<Scalar>) {
        if let gx { Scalar.copy(gy, gx, batch * inputSize) }
    }

    public func forwardTangent(input x: UnsafePointer<Scalar>, inputTangent rx: UnsafePointer<Scalar>,
                               output y: UnsafePointer<Scalar>, outputTangent ry: UnsafeMutablePointer<Scalar>,
                               batch: Int, parameters θ: UnsafePointer<Scalar>, direction v: UnsafePointer<Scalar>) {
        Scalar.copy(rx, ry, batch * inputSize)
    }

    public func backwardTangent(input x: UnsafePointer<Scalar>, inputTangent rx: UnsafePointer<Scalar>,
                                output y: UnsafePointer<Scalar>, outputTangent ry: UnsafePointer<Scalar>,
                                gradOutput gy: UnsafePointer<Scalar>, gradOutputTangent rgy: UnsafePointer<Scalar>,
                                gradInput gx: UnsafeMutablePointer<Scalar>?, gradInputTangent rgx: UnsafeMutablePointer<Scalar>?,
                                batch: Int, parameters θ: UnsafePointer<Scalar>, direction v: UnsafePointer<Scalar>,
                                gradParameters gθ: UnsafeMutablePointer<Scalar>, gradParametersTangent rgθ: UnsafeMutablePointer<Scalar>) {
        if let gx { Scalar.copy(gy, gx, batch * inputSize) }
        if let rgx { Scalar.copy(rgy, rgx, batch * inputSize) }
    }
}
