/// A 2-D convolution with stride 1 and zero padding: C×H×W → Cout×Ho×Wo per example, with
/// Ho = H + 2p − kh + 1 and Wo = W + 2p − kw + 1 (p = 1 with a 3×3 kernel keeps the size: "same").
///
///     y[o, u, w] = b[o] + Σ_{c,i,j} W[o, c, i, j] · x[c, u + i − p, w + j − p]   (x = 0 outside the image)
///
/// Parameters: the weight W as a Cout×(C·kh·kw) row-major matrix (index (c·kh + i)·kw + j within a
/// row, the PyTorch layout), then the bias b (Cout). Per example the layer unfolds the image with
/// im2col into a (C·kh·kw)×(Ho·Wo) workspace, cols(x), so the convolution is one GEMM,
/// y_e = W·cols(x_e), which is already the channel-major output row. The backward pass is
///
///     ∂L/∂W = Σ_e gy_e · cols(x_e)ᵀ,   ∂L/∂b[o] = Σ_{e,u,w} gy_e[o, u, w],   gx_e = col2im(Wᵀ · gy_e),
///
/// with transposes passed to BLAS as flags. The convolution is bilinear in (x, W), so its
/// R-operator has the same shape as the dense layer's (V = direction of W, v_b of b):
///
///     R{y_e}  = W·cols(R{x_e}) + V·cols(x_e) + v_b,
///     R{∂L/∂W} = Σ_e R{gy_e}·cols(x_e)ᵀ + gy_e·cols(R{x_e})ᵀ,
///     R{gx_e} = col2im(Wᵀ·R{gy_e} + Vᵀ·gy_e).
///
/// im2col is recomputed in the backward passes rather than cached from the forward pass, so the
/// workspaces are three (C·kh·kw)×(Ho·Wo) blocks whatever the batch size (they stay in cache).
public final class Conv2D<Scalar: BLASScalar>: Layer {
    /// Input channels C.
    public let inputChannels: Int
    /// Input height H.
    public let height: Int
    /// Input width W.
    public let width: Int
    /// Output channels (filters) Cout.
    public let outputChannels: Int
    /// Kernel height kh.
    public let kernelHeight: Int
    /// Kernel width kw.
    public let kernelWidth: Int
    /// Zero padding p on every side.
    public let padding: Int
    /// Whether the layer has a per-channel bias.
    public let hasBias: Bool
    /// Output height Ho = H + 2p − kh + 1.
    public let outputHeight: Int
    /// Output width Wo = W + 2p − kw + 1.
    public let outputWidth: Int

    /// Rows of the unfolded image: C·kh·kw (the fan-in of one output unit).
    private let patchSize: Int
    /// Columns of the unfolded image: Ho·Wo.
    private let spatial: Int
    private let cols = Buffer<Scalar>()
    private let tangentCols = Buffer<Scalar>()
    private let gradCols = Buffer<Scalar>()

    /// A convolution from `inputChannels`×`height`×`width` images to `outputChannels` feature maps
    /// with a square `kernel`×`kernel` filter, stride 1 and `padding` zeros on each side.
    public init(inputChannels: Int, height: Int, width: Int, outputChannels: Int,
                kernel: Int = 3, padding: Int = 0, bias: Bool = true) {
        precondition(inputChannels > 0 && height > 0 && width > 0 && outputChannels > 0 && kernel > 0,
                     "convolution sizes must be positive")
        precondition(padding >= 0, "padding must be non-negative")
        let outH = height + 2 * padding - kernel + 1
        let outW = width + 2 * padding - kernel + 1
        precondition(outH > 0 && outW > 0,
                     "a \(kernel)×\(kernel) kernel with padding \(padding) does not fit a \(height)×\(width) image")
        self.inputChannels = inputChannels
        self.height = height
        self.width = width
        self.outputChannels = outputChannels
        self.kernelHeight = kernel
        self.kernelWidth = kernel
        self.padding = padding
        self.hasBias = bias
        self.outputHeight = outH
        self.outputWidth = outW
        patchSize = inputChannels * kernel * kernel
        spatial = outH * outW
    }

    /// C·H·W.
    public var inputSize: Int { inputChannels * height * width }
    /// Cout·Ho·Wo.
    public var outputSize: Int { outputChannels * spatial }

    private var weightCount: Int { outputChannels * patchSize }

    /// The weight (Cout×(C·kh·kw), fan-in C·kh·kw, fan-out Cout·kh·kw), then the bias (Cout).
    public var parameterSegments: [ParameterSegment] {
        let fanIn = patchSize, fanOut = outputChannels * kernelHeight * kernelWidth
        var s = [ParameterSegment(name: "weight", range: 0..<weightCount, role: .weight, fanIn: fanIn, fanOut: fanOut)]
        if hasBias {
            s.append(ParameterSegment(name: "bias", range: weightCount..<(weightCount + outputChannels), role: .bias,
                                      fanIn: fanIn, fanOut: fanOut))
        }
        return s
    }

    /// "conv 3×3 1×28×28→16×28×28 pad 1".
    public var summary: String {
        "conv \(kernelHeight)×\(kernelWidth) \(inputChannels)×\(height)×\(width)→\(outputChannels)×\(outputHeight)×\(outputWidth)"
            + (padding > 0 ? " pad \(padding)" : "") + (hasBias ? "" : " (no bias)")
    }

    /// Sizes the three per-example im2col workspaces (independent of `batch`).
    public func reserve(batch: Int) {
        let n = patchSize * spatial
        cols.reserve(n)
        tangentCols.reserve(n)
        gradCols.reserve(n)
    }

    // MARK: Per-example building blocks

    /// cols ← im2col(x_e).
    @inline(__always)
    private func unfold(_ x: UnsafePointer<Scalar>, into c: UnsafeMutablePointer<Scalar>) {
        Scalar.im2col(x, channels: inputChannels, height: height, width: width,
                      kernelHeight: kernelHeight, kernelWidth: kernelWidth, padding: padding, into: c)
    }

    /// gx_e ← col2im(gcols).
    @inline(__always)
    private func fold(_ c: UnsafePointer<Scalar>, into gx: UnsafeMutablePointer<Scalar>) {
        Scalar.col2im(c, channels: inputChannels, height: height, width: width,
                      kernelHeight: kernelHeight, kernelWidth: kernelWidth, padding: padding, into: gx)
    }

    /// out (Cout×HoWo) = W·cols + β·out.
    @inline(__always)
    private func timesW(_ w: UnsafePointer<Scalar>, _ c: UnsafePointer<Scalar>, _ out: UnsafeMutablePointer<Scalar>,
                        beta: Scalar) {
        Scalar.gemm(transA: false, transB: false, m: outputChannels, n: spatial, k: patchSize, alpha: 1,
                    a: w, lda: patchSize, b: c, ldb: spatial, beta: beta, c: out, ldc: spatial)
    }

    /// out ((C·kh·kw)×HoWo) = Wᵀ·g + β·out.
    @inline(__always)
    private func timesWT(_ w: UnsafePointer<Scalar>, _ g: UnsafePointer<Scalar>, _ out: UnsafeMutablePointer<Scalar>,
                         beta: Scalar) {
        Scalar.gemm(transA: true, transB: false, m: patchSize, n: spatial, k: outputChannels, alpha: 1,
                    a: w, lda: patchSize, b: g, ldb: spatial, beta: beta, c: out, ldc: spatial)
    }

    /// out (Cout×(C·kh·kw)) = g·colsᵀ + β·out: one example's weight-gradient term.
    @inline(__always)
    private func outer(_ g: UnsafePointer<Scalar>, _ c: UnsafePointer<Scalar>, _ out: UnsafeMutablePointer<Scalar>,
                       beta: Scalar) {
        Scalar.gemm(transA: false, transB: true, m: outputChannels, n: patchSize, k: spatial, alpha: 1,
                    a: g, lda: spatial, b: c, ldb: spatial, beta: beta, c: out, ldc: patchSize)
    }

    // MARK: Passes

    /// y_e = W·cols(x_e) + b for every example e.
    public func forward(input x: UnsafePointer<Scalar>, output y: UnsafeMutablePointer<Scalar>,
                        batch: Int, parameters θ: UnsafePointer<Scalar>) {
        reserve(batch: batch)
        let c = cols.pointer
        for e in 0..<batch {
            unfold(x + e * inputSize, into: c)
            timesW(θ, c, y + e * outputSize, beta: 0)
        }
        if hasBias {
            Scalar.addChannelBias(y, θ + weightCount, batch: batch, channels: outputChannels, spatial: spatial)
        }
    }

    /// ∂L/∂W = Σ_e gy_e·cols(x_e)ᵀ, ∂L/∂b = per-channel sums of gy, gx_e = col2im(Wᵀ·gy_e).
    public func backward(input x: UnsafePointer<Scalar>, output y: UnsafePointer<Scalar>,
                         gradOutput gy: UnsafePointer<Scalar>, gradInput gx: UnsafeMutablePointer<Scalar>?,
                         batch: Int, parameters θ: UnsafePointer<Scalar>,
                         gradParameters gθ: UnsafeMutablePointer<Scalar>) {
        reserve(batch: batch)
        let c = cols.pointer, gc = gradCols.pointer
        if batch == 0 { Scalar.fill(gθ, 0, weightCount) }
        for e in 0..<batch {
            let gye = gy + e * outputSize
            unfold(x + e * inputSize, into: c)
            outer(gye, c, gθ, beta: e == 0 ? 0 : 1)
            if let gx {
                timesWT(θ, gye, gc, beta: 0)
                fold(gc, into: gx + e * inputSize)
            }
        }
        if hasBias {
            Scalar.channelSums(gy, batch: batch, channels: outputChannels, spatial: spatial,
                               into: gθ + weightCount, beta: 0)
        }
    }

    /// R{y_e} = W·cols(R{x_e}) + V·cols(x_e) + v_b.
    public func forwardTangent(input x: UnsafePointer<Scalar>, inputTangent rx: UnsafePointer<Scalar>,
                               output y: UnsafePointer<Scalar>, outputTangent ry: UnsafeMutablePointer<Scalar>,
                               batch: Int, parameters θ: UnsafePointer<Scalar>, direction v: UnsafePointer<Scalar>) {
        reserve(batch: batch)
        let c = cols.pointer, rc = tangentCols.pointer
        for e in 0..<batch {
            let rye = ry + e * outputSize
            unfold(rx + e * inputSize, into: rc)
            timesW(θ, rc, rye, beta: 0)
            unfold(x + e * inputSize, into: c)
            timesW(v, c, rye, beta: 1)
        }
        if hasBias {
            Scalar.addChannelBias(ry, v + weightCount, batch: batch, channels: outputChannels, spatial: spatial)
        }
    }

    /// The backward pass together with R{∂L/∂W} = Σ_e R{gy_e}·cols(x_e)ᵀ + gy_e·cols(R{x_e})ᵀ,
    /// R{∂L/∂b} = per-channel sums of R{gy}, and R{gx_e} = col2im(Wᵀ·R{gy_e} + Vᵀ·gy_e).
    public func backwardTangent(input x: UnsafePointer<Scalar>, inputTangent rx: UnsafePointer<Scalar>,
                                output y: UnsafePointer<Scalar>, outputTangent ry: UnsafePointer<Scalar>,
                                gradOutput gy: UnsafePointer<Scalar>, gradOutputTangent rgy: UnsafePointer<Scalar>,
                                gradInput gx: UnsafeMutablePointer<Scalar>?, gradInputTangent rgx: UnsafeMutablePointer<Scalar>?,
                                batch: Int, parameters θ: UnsafePointer<Scalar>, direction v: UnsafePointer<Scalar>,
                                gradParameters gθ: UnsafeMutablePointer<Scalar>, gradParametersTangent rgθ: UnsafeMutablePointer<Scalar>) {
        reserve(batch: batch)
        let c = cols.pointer, rc = tangentCols.pointer, gc = gradCols.pointer
        if batch == 0 {
            Scalar.fill(gθ, 0, weightCount)
            Scalar.fill(rgθ, 0, weightCount)
        }
        for e in 0..<batch {
            let gye = gy + e * outputSize, rgye = rgy + e * outputSize
            let beta: Scalar = e == 0 ? 0 : 1
            unfold(x + e * inputSize, into: c)
            unfold(rx + e * inputSize, into: rc)
            outer(gye, c, gθ, beta: beta)
            outer(rgye, c, rgθ, beta: beta)
            outer(gye, rc, rgθ, beta: 1)
            if let gx {
                timesWT(θ, gye, gc, beta: 0)
                fold(gc, into: gx + e * inputSize)
            }
            if let rgx {
                timesWT(θ, rgye, gc, beta: 0)
                timesWT(v, gye, gc, beta: 1)
                fold(gc, into: rgx + e * inputSize)
            }
        }
        if hasBias {
            Scalar.channelSums(gy, batch: batch, channels: outputChannels, spatial: spatial,
                               into: gθ + weightCount, beta: 0)
            Scalar.channelSums(rgy, batch: batch, channels: outputChannels, spatial: spatial,
                               into: rgθ + weightCount, beta: 0)
        }
    }
}
