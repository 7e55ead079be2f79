/// Max pooling with a p×p window and stride p: C×H×W → C×(H/p)×(W/p) per example (H and W must
/// be divisible by p).
///
///     y[c, u, w] = max_{0≤i,j<p} x[c, p·u + i, p·w + j] = x[c, a(c, u, w)]
///
/// The forward pass records the arg-max a (the first maximal entry in row-major window order)
/// per output; away from ties max pooling is locally the linear selection x ↦ x[a], so
///
///     ∂L/∂x[a(c, u, w)] = gy[c, u, w] (0 elsewhere),   R{y} = R{x}[a],   R{gx} = scatter of R{gy} to a,
///
/// and its second derivative vanishes. The backward and tangent passes use the arg-max of the
/// *last forward pass*, which must have been on the same batch (as ``Sequential`` guarantees).
public final class MaxPool2D<Scalar: BLASScalar>: Layer {
    /// Channels C.
    public let channels: Int
    /// Input height H.
    public let height: Int
    /// Input width W.
    public let width: Int
    /// Window size and stride p.
    public let pool: Int

    /// Arg-max offsets within each H×W plane, one per output (batch·C·(H/p)·(W/p) of them).
    private var indices: UnsafeMutablePointer<Int32>
    private var indexCapacity = 0
    /// Batch size of the last forward pass (what `indices` describe).
    private var recordedBatch = 0

    /// A p×p max pooling (default 2×2) of `channels`×`height`×`width` inputs.
    public init(channels: Int, height: Int, width: Int, pool: Int = 2) {
        precondition(channels > 0 && height > 0 && width > 0 && pool > 0, "pooling sizes must be positive")
        precondition(height % pool == 0 && width % pool == 0,
                     "max pooling \(pool)×\(pool) needs height and width divisible by \(pool), got \(height)×\(width)")
        self.channels = channels
        self.height = height
        self.width = width
        self.pool = pool
        indices = .allocate(capacity: 1)
    }

    deinit { indices.deallocate() }

    /// Output height H/p.
    public var outputHeight: Int { height / pool }
    /// Output width W/p.
    public var outputWidth: Int { width / pool }
    /// C·H·W.
    public var inputSize: Int { channels * height * width }
    /// C·(H/p)·(W/p).
    public var outputSize: Int { channels * outputHeight * outputWidth }
    /// None: pooling has no parameters.
    public var parameterSegments: [ParameterSegment] { [] }
    /// "maxpool 2×2 16×28×28→16×14×14".
    public var summary: String {
        "maxpool \(pool)×\(pool) \(channels)×\(height)×\(width)→\(channels)×\(outputHeight)×\(outputWidth)"
    }

    /// Sizes the arg-max workspace for `batch` examples.
    public func reserve(batch: Int) {
        let n = batch * outputSize
        guard n > indexCapacity else { return }
        indices.deallocate()
        indices = .allocate(capacity: n)
        indices.initialize(repeating: 0, count: n)
        indexCapacity = n
    }

    private var planeSizes: (input: Int, output: Int) { (height * width, outputHeight * outputWidth) }

    @inline(__always)
    private func checkRecorded(_ batch: Int) {
        precondition(batch == recordedBatch,
                     "max pooling: backward/tangent pass on a batch of \(batch) after a forward pass on \(recordedBatch)")
    }

    /// y = window maxima; records the arg-max of every window.
    public func forward(input x: UnsafePointer<Scalar>, output y: UnsafeMutablePointer<Scalar>,
                        batch: Int, parameters θ: UnsafePointer<Scalar>) {
        reserve(batch: batch)
        Scalar.maxPool(x, y, indices: indices, planes: batch * channels, height: height, width: width, pool: pool)
        recordedBatch = batch
    }

    /// gx = gy scattered to the arg-max positions, 0 elsewhere.
    public func backward(input x: UnsafePointer<Scalar>, output y: UnsafePointer<Scalar>,
                         gradOutput gy: UnsafePointer<Scalar>, gradInput gx: UnsafeMutablePointer<Scalar>?,
                         batch: Int, parameters θ: UnsafePointer<Scalar>,
                         gradParameters gθ: UnsafeMutablePointer<Scalar>) {
        guard let gx else { return }
        checkRecorded(batch)
        let (inPlane, outPlane) = planeSizes
        Scalar.scatterPlanes(gy, indices: indices, gx, planes: batch * channels,
                             inputPlaneSize: inPlane, outputPlaneSize: outPlane)
    }

    /// R{y} = R{x} at the arg-max positions.
    public func forwardTangent(input x: UnsafePointer<Scalar>, inputTangent rx: UnsafePointer<Scalar>,
                               output y: UnsafePointer<Scalar>, outputTangent ry: UnsafeMutablePointer<Scalar>,
                               batch: Int, parameters θ: UnsafePointer<Scalar>, direction v: UnsafePointer<Scalar>) {
        checkRecorded(batch)
        let (inPlane, outPlane) = planeSizes
        Scalar.gatherPlanes(rx, indices: indices, ry, planes: batch * channels,
                            inputPlaneSize: inPlane, outputPlaneSize: outPlane)
    }

    /// gx and R{gx}: gy and R{gy} scattered to the arg-max positions (no curvature term).
    public func backwardTangent(input x: UnsafePointer<Scalar>, inputTangent rx: UnsafePointer<Scalar>,
                                output y: UnsafePointer<Scalar>, outputTangent ry: UnsafePointer<Scalar>,
                                gradOutput gy: UnsafePointer<Scalar>, gradOutputTangent rgy: UnsafePointer<Scalar>,
                                gradInput gx: UnsafeMutablePointer<Scalar>?, gradInputTangent rgx: UnsafeMutablePointer<Scalar>?,
                                batch: Int, parameters θ: UnsafePointer<Scalar>, direction v: UnsafePointer<Scalar>,
                                gradParameters gθ: UnsafeMutablePointer<Scalar>, gradParametersTangent rgθ: UnsafeMutablePointer<Scalar>) {
        backward(input: x, output: y, gradOutput: gy, gradInput: gx, batch: batch, parameters: θ, gradParameters: gθ)
        guard let rgx else { return }
        checkRecorded(batch)
        let (inPlane, outPlane) = planeSizes
        Scalar.scatterPlanes(rgy, indices: indices, rgx, planes: batch * channels,
                             inputPlaneSize: inPlane, outputPlaneSize: outPlane)
    }
}
