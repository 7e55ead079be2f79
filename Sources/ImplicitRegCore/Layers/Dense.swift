/// A fully connected layer y = x·W + b, with W stored in×out (row-major) then b (out).
///
/// All products go to BLAS with transposes passed as flags: forward y = xW (+b), backward
/// gW = xᵀ·gy, gb = Σ_rows gy, gx = gy·Wᵀ.
public final class Dense<Scalar: BLASScalar>: Layer {
    public let inputSize: Int
    public let outputSize: Int
    /// Whether the layer has a bias vector.
    public let hasBias: Bool

    /// A dense layer from `inputSize` to `outputSize` features.
    public init(_ inputSize: Int, _ outputSize: Int, bias: Bool = true) {
        precondition(inputSize > 0 && outputSize > 0, "dense layer sizes must be positive")
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.hasBias = bias
    }

    private var weightCount: Int { inputSize * outputSize }

    public var parameterSegments: [ParameterSegment] {
        var s = [ParameterSegment(name: "weight", range: 0..<weightCount, role: .weight,
                                  fanIn: inputSize, fanOut: outputSize)]
        if hasBias {
            s.append(ParameterSegment(name: "bias", range: weightCount..<(weightCount + outputSize), role: .bias,
                                      fanIn: inputSize, fanOut: outputSize))
        }
        return s
    }

    public var summary: String { "dense \(inputSize)→\(outputSize)\(hasBias ? "" : " (no bias)")" }

    /// out = a·W (+ β·out), a batch×in.
    @inline(__always)
    private func timesW(_ a: UnsafePointer<Scalar>, _ w: UnsafePointer<Scalar>, _ out: UnsafeMutablePointer<Scalar>,
                        batch: Int, beta: Scalar) {
        Scalar.gemm(transA: false, transB: false, m: batch, n: outputSize, k: inputSize, alpha: 1,
                    a: a, lda: inputSize, b: w, ldb: outputSize, beta: beta, c: out, ldc: outputSize)
    }

    /// out = g·Wᵀ (+ β·out), g batch×out.
    @inline(__always)
    private func timesWT(_ g: UnsafePointer<Scalar>, _ w: UnsafePointer<Scalar>, _ out: UnsafeMutablePointer<Scalar>,
                         batch: Int, beta: Scalar) {
        Scalar.gemm(transA: false, transB: true, m: batch, n: inputSize, k: outputSize, alpha: 1,
                    a: g, lda: outputSize, b: w, ldb: outputSize, beta: beta, c: out, ldc: inputSize)
    }

    /// out = aᵀ·g (+ β·out): the weight gradient shape in×out.
    @inline(__always)
    private func outer(_ a: UnsafePointer<Scalar>, _ g: UnsafePointer<Scalar>, _ out: UnsafeMutablePointer<Scalar>,
                       batch: Int, beta: Scalar) {
        Scalar.gemm(transA: true, transB: false, m: inputSize, n: outputSize, k: batch, alpha: 1,
                    a: a, lda: inputSize, b: g, ldb: outputSize, beta: beta, c: out, ldc: outputSize)
    }

    public func forward(input x: UnsafePointer<Scalar>, output y: UnsafeMutablePointer<Scalar>,
                        batch: Int, parameters θ: UnsafePointer<Scalar>) {
        timesW(x, θ, y, batch: batch, beta: 0)
        if hasBias { Scalar.addRowVector(y, θ + weightCount, rows: batch, cols: outputSize) }
    }

    public func backward(input x: UnsafePointer<Scalar>, output y: UnsafePointer<Scalar>,
                         gradOutput gy: UnsafePointer<Scalar>, gradInput gx: UnsafeMutablePointer<Scalar>?,
                         batch: Int, parameters θ: UnsafePointer<Scalar>,
                         gradParameters gθ: UnsafeMutablePointer<Scalar>) {
        outer(x, gy, gθ, batch: batch, beta: 0)
        if hasBias { Scalar.columnSums(gy, rows: batch, cols: outputSize, into: gθ + weightCount, beta: 0) }
        if let gx { timesWT(gy, θ, gx, batch: batch, beta: 0) }
    }

    public func backward(input x: UnsafePointer<Scalar>, output y: UnsafePointer<Scalar>,
                         gradOutput gy: UnsafePointer<Scalar>, gradInput gx: UnsafeMutablePointer<Scalar>?,
                         batch: Int, parameters θ: UnsafePointer<Scalar>,
                         accumulatingInto gθ: UnsafeMutablePointer<Scalar>, beta: Scalar) -> Bool {
        if let gx { timesWT(gy, θ, gx, batch: batch, beta: 0) }  // before gθ, which may be θ itself
        outer(x, gy, gθ, batch: batch, beta: beta)
        if hasBias { Scalar.columnSums(gy, rows: batch, cols: outputSize, into: gθ + weightCount, beta: beta) }
        return true
    }

    public func forwardTangent(input x: UnsafePointer<Scalar>, inputTangent rx: UnsafePointer<Scalar>,
                               output y: UnsafePointer<Scalar>, outputTangent ry: UnsafeMutablePointer<Scalar>,
                               batch: Int, parameters θ: UnsafePointer<Scalar>, direction v: UnsafePointer<Scalar>) {
        tangent(x, rx, ry, batch: batch, θ, v)
    }

    public func backwardTangent(input x: UnsafePointer<Scalar>, inputTangent rx: UnsafePointer<Scalar>,
                                output y: UnsafePointer<Scalar>, outputTangent ry: UnsafePointer<Scalar>,
                                gradOutput gy: UnsafePointer<Scalar>, gradOutputTangent rgy: UnsafePointer<Scalar>,
                                gradInput gx: UnsafeMutablePointer<Scalar>?, gradInputTangent rgx: UnsafeMutablePointer<Scalar>?,
                                batch: Int, parameters θ: UnsafePointer<Scalar>, direction v: UnsafePointer<Scalar>,
                                gradParameters gθ: UnsafeMutablePointer<Scalar>, gradParametersTangent rgθ: UnsafeMutablePointer<Scalar>) {
        backward(input: x, output: y, gradOutput: gy, gradInput: gx, batch: batch, parameters: θ, gradParameters: gθ)
        tangentBackward(x, rx, gy, rgy, rgx, batch: batch, θ, v, rgθ)
    }

    /// The first layer's R{y} = x·V_W + v_b (R{x} = 0: no R{x}·W product).
    public func forwardTangent(input x: UnsafePointer<Scalar>, zeroInputTangent rx: UnsafePointer<Scalar>,
                               output y: UnsafePointer<Scalar>, outputTangent ry: UnsafeMutablePointer<Scalar>,
                               batch: Int, parameters θ: UnsafePointer<Scalar>, direction v: UnsafePointer<Scalar>) {
        tangent(x, nil, ry, batch: batch, θ, v)
    }

    /// The first layer's R{gW} = xᵀ·R{gy} (R{x} = 0: no R{x}ᵀ·gy product).
    public func backwardTangent(input x: UnsafePointer<Scalar>, zeroInputTangent rx: UnsafePointer<Scalar>,
                                output y: UnsafePointer<Scalar>, outputTangent ry: UnsafePointer<Scalar>,
                                gradOutput gy: UnsafePointer<Scalar>, gradOutputTangent rgy: UnsafePointer<Scalar>,
                                gradInput gx: UnsafeMutablePointer<Scalar>?, gradInputTangent rgx: UnsafeMutablePointer<Scalar>?,
                                batch: Int, parameters θ: UnsafePointer<Scalar>, direction v: UnsafePointer<Scalar>,
                                gradParameters gθ: UnsafeMutablePointer<Scalar>, gradParametersTangent rgθ: UnsafeMutablePointer<Scalar>) {
        backward(input: x, output: y, gradOutput: gy, gradInput: gx, batch: batch, parameters: θ, gradParameters: gθ)
        tangentBackward(x, nil, gy, rgy, rgx, batch: batch, θ, v, rgθ)
    }

    /// R{y} = R{x}·W + x·V_W + v_b; `rx` nil when R{x} = 0.
    private func tangent(_ x: UnsafePointer<Scalar>, _ rx: UnsafePointer<Scalar>?, _ ry: UnsafeMutablePointer<Scalar>,
                         batch: Int, _ θ: UnsafePointer<Scalar>, _ v: UnsafePointer<Scalar>) {
        if let rx { timesW(rx, θ, ry, batch: batch, beta: 0) }
        timesW(x, v, ry, batch: batch, beta: rx == nil ? 0 : 1)
        if hasBias { Scalar.addRowVector(ry, v + weightCount, rows: batch, cols: outputSize) }
    }

    /// R{gW} = R{x}ᵀ·gy + xᵀ·R{gy};  R{gb} = Σ R{gy};  R{gx} = R{gy}·Wᵀ + gy·V_Wᵀ; `rx` nil when R{x} = 0.
    private func tangentBackward(_ x: UnsafePointer<Scalar>, _ rx: UnsafePointer<Scalar>?, _ gy: UnsafePointer<Scalar>,
                                 _ rgy: UnsafePointer<Scalar>, _ rgx: UnsafeMutablePointer<Scalar>?, batch: Int,
                                 _ θ: UnsafePointer<Scalar>, _ v: UnsafePointer<Scalar>, _ rgθ: UnsafeMutablePointer<Scalar>) {
        if let rx { outer(rx, gy, rgθ, batch: batch, beta: 0) }
        outer(x, rgy, rgθ, batch: batch, beta: rx == nil ? 0 : 1)
        if hasBias { Scalar.columnSums(rgy, rows: batch, cols: outputSize, into: rgθ + weightCount, beta: 0) }
        if let rgx {
            timesWT(rgy, θ, rgx, batch: batch, beta: 0)
            timesWT(gy, v, rgx, batch: batch, beta: 1)
        }
    }
}
