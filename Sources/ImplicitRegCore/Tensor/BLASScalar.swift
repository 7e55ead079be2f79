import RealModule

/// A floating-point type the core computes in: `Float` for classification training, `Double`
/// for the exact-numerics experiments. One implementation of every layer, loss and optimizer
/// serves both; the matrix work goes to `cblas_sgemm`/`cblas_dgemm` and friends.
///
/// Performance rule of the core: every loop over elements lives in a *requirement* of this
/// protocol (with its default implementation in `BLASScalar+Kernels.swift`). Generic code calls
/// `T.kernel(...)` once per array, and the conformance of `Float`/`Double` runs a loop the
/// compiler has specialized. A loop written directly in generic code is not specialized across
/// modules or through existentials and runs ~100× slower.
public protocol BLASScalar: BinaryFloatingPoint, Real, Sendable, Codable
where RawSignificand: FixedWidthInteger {
    /// Short name for provenance and errors ("float32", "float64").
    static var typeName: String { get }

    // MARK: BLAS (row-major)

    /// C ← α·op(A)·op(B) + β·C, with op(A) m×k, op(B) k×n, C m×n; `lda`, `ldb`, `ldc` are row strides.
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// y ← α·op(A)·x + β·y with A m×n row-major.
    static func gemv(
        trans: Bool, m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
        x: UnsafePointer<Self>, beta: Self, y: UnsafeMutablePointer<Self>)
    /// y ← α·x + y.
    static func axpy(_ n: Int, _ alpha: Self, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>)
    /// xᵀy.
    static func dot(_ n: Int, _ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>) -> Self
    /// x ← α·x.
    static func scal(_ n: Int, _ alpha: Self, _ x: UnsafeMutablePointer<Self>)

    // MARK: Elementwise kernels (defaults in BLASScalar+Kernels.swift)

    /// y[r, c] += bias[c] for a rows×cols matrix.
    static func addRowVector(_ y: UnsafeMutablePointer<Self>, _ bias: UnsafePointer<Self>, rows: Int, cols: Int)
    /// out[c] = (β·out[c]) + Σ_r g[r, c].
    static func columnSums(_ g: UnsafePointer<Self>, rows: Int, cols: Int, into out: UnsafeMutablePointer<Self>, beta: Self)
    /// y = max(x, 0).
    static func relu(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ n: Int)
    /// out = v where x > 0, else 0 (ReLU's backward and R-operator).
    static func maskPositive(_ x: UnsafePointer<Self>, _ v: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Self>, _ n: Int)
    /// y = tanh(x).
    static func tanh(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ n: Int)
    /// out = (1 − y²)·v (tanh's backward and R-operator, with y = tanh x).
    static func tanhDerivative(_ y: UnsafePointer<Self>, _ v: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Self>, _ n: Int)
    /// out −= 2·y·ry·gy (the second-order term of tanh's R-backward).
    static func tanhCurvature(_ y: UnsafePointer<Self>, _ ry: UnsafePointer<Self>, _ gy: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Self>, _ n: Int)
    /// Copies n elements.
    static func copy(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ n: Int)
    /// Sets n elements to `value`.
    static func fill(_ y: UnsafeMutablePointer<Self>, _ value: Self, _ n: Int)
    /// z = x − y.
    static func subtract(_ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>, _ z: UnsafeMutablePointer<Self>, _ n: Int)
    /// y = α·x.
    static func scaled(_ x: UnsafePointer<Self>, _ alpha: Self, _ y: UnsafeMutablePointer<Self>, _ n: Int)
    /// Σ xᵢ², accumulated in Double.
    static func sumOfSquares(_ x: UnsafePointer<Self>, _ n: Int) -> Double
    /// True when every element is finite.
    static func allFinite(_ x: UnsafePointer<Self>, _ n: Int) -> Bool
    /// Inverted-dropout mask: mask[i] = 1/q with probability q (one uniform draw per element, in
    /// order, from `rng`), else 0.
    static func dropoutMask(_ mask: UnsafeMutablePointer<Self>, _ n: Int, keepProbability q: Double,
                            using rng: inout Xoshiro256StarStar)
    /// z ← x ⊙ y elementwise.
    static func multiply(_ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>, _ z: UnsafeMutablePointer<Self>, _ n: Int)

    /// Row-wise softmax cross-entropy of `logits` (rows×cols) against integer `labels`.
    /// Writes the probabilities to `probabilities` (may alias nothing else), and, when `gradient`
    /// is non-nil, (p − onehot)·`gradScale`. Returns (Σ loss over rows, number of rows whose
    /// arg-max equals the label); the loss is accumulated in Double.
    static func softmaxCrossEntropy(
        logits: UnsafePointer<Self>, labels: UnsafePointer<Int32>, rows: Int, cols: Int,
        probabilities: UnsafeMutablePointer<Self>, gradient: UnsafeMutablePointer<Self>?,
        gradScale: Self) -> (lossSum: Double, correct: Int)
    /// R-operator of the softmax cross-entropy gradient: out = gradScale·p ⊙ (rz − ⟨p, rz⟩) per row.
    static func softmaxTangent(
        probabilities: UnsafePointer<Self>, tangent: UnsafePointer<Self>, rows: Int, cols: Int,
        gradScale: Self, into out: UnsafeMutablePointer<Self>)

    /// ½‖z − t‖² summed over all rows×cols entries (in Double); when `gradient` is non-nil it
    /// receives (z − t)·gradScale.
    static func squaredError(
        output z: UnsafePointer<Self>, targets t: UnsafePointer<Self>, count n: Int,
        gradient: UnsafeMutablePointer<Self>?, gradScale: Self) -> Double
    /// Number of rows whose arg-max equals the label.
    static func argmaxMatches(_ z: UnsafePointer<Self>, labels: UnsafePointer<Int32>, rows: Int, cols: Int) -> Int

    // MARK: Convolution and pooling kernels (defaults in BLASScalar+Kernels.swift)

    /// im2col of one C×H×W image for a stride-1 kh×kw convolution with zero padding p: writes the
    /// (C·kh·kw)×(Ho·Wo) matrix
    ///     cols[(c·kh + i)·kw + j, oy·Wo + ox] = x[c, oy + i − p, ox + j − p]   (0 outside the image),
    /// Ho = H + 2p − kh + 1, Wo = W + 2p − kw + 1, so that a Cout×(C·kh·kw) weight times `cols`
    /// is the convolution's Cout×(Ho·Wo) output.
    static func im2col(
        _ x: UnsafePointer<Self>, channels: Int, height: Int, width: Int,
        kernelHeight: Int, kernelWidth: Int, padding: Int, into cols: UnsafeMutablePointer<Self>)
    /// col2im, the adjoint of ``im2col(_:channels:height:width:kernelHeight:kernelWidth:padding:into:)``:
    /// sets x = 0, then adds every in-image entry of `cols` to the pixel it was read from,
    ///     x[c, oy + i − p, ox + j − p] += cols[(c·kh + i)·kw + j, oy·Wo + ox].
    static func col2im(
        _ cols: UnsafePointer<Self>, channels: Int, height: Int, width: Int,
        kernelHeight: Int, kernelWidth: Int, padding: Int, into x: UnsafeMutablePointer<Self>)
    /// y[e, c, s] += bias[c] for a batch×channels×spatial array (the per-channel bias of a convolution).
    static func addChannelBias(
        _ y: UnsafeMutablePointer<Self>, _ bias: UnsafePointer<Self>, batch: Int, channels: Int, spatial: Int)
    /// out[c] = β·out[c] + Σ_e Σ_s g[e, c, s] (the gradient of a per-channel bias).
    static func channelSums(
        _ g: UnsafePointer<Self>, batch: Int, channels: Int, spatial: Int,
        into out: UnsafeMutablePointer<Self>, beta: Self)
    /// p×p max pooling with stride p of `planes` H×W planes (H, W divisible by p):
    /// y[q, oy, ox] = max_{0≤i,j<p} x[q, p·oy + i, p·ox + j], and `indices[q, oy, ox]` receives the
    /// offset within the plane (row·W + column) of the first maximal entry in row-major window order.
    static func maxPool(
        _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, indices: UnsafeMutablePointer<Int32>,
        planes: Int, height: Int, width: Int, pool: Int)
    /// out[q, o] = x[q, indices[q, o]] for `planes` planes of `inputPlaneSize` inputs and
    /// `outputPlaneSize` outputs (max pooling's R-operator, R{y} = R{x} at the arg-max).
    static func gatherPlanes(
        _ x: UnsafePointer<Self>, indices: UnsafePointer<Int32>, _ out: UnsafeMutablePointer<Self>,
        planes: Int, inputPlaneSize: Int, outputPlaneSize: Int)
    /// out = 0, then out[q, indices[q, o]] += g[q, o] (max pooling's backward: the adjoint of
    /// ``gatherPlanes(_:indices:_:planes:inputPlaneSize:outputPlaneSize:)``).
    static func scatterPlanes(
        _ g: UnsafePointer<Self>, indices: UnsafePointer<Int32>, _ out: UnsafeMutablePointer<Self>,
        planes: Int, inputPlaneSize: Int, outputPlaneSize: Int)

    /// y ← β·y + x (β = 0 overwrites y without reading it).
    static func scaleAdd(_ x: UnsafePointer<Self>, into y: UnsafeMutablePointer<Self>, beta: Self, _ n: Int)

    /// The rest of a heavy-ball step whose velocity BLAS accumulated (v ← μv + ∇L, the μv
    /// applied by the previous call): θ ← θ − ε·v, then v ← μ·v, ready for the next gradient.
    static func velocityStep(
        parameters w: UnsafeMutablePointer<Self>, velocity v: UnsafeMutablePointer<Self>, count n: Int,
        learningRate: Self, momentum: Self)

    /// Heavy-ball or Nesterov momentum SGD on a flat parameter vector, in one pass:
    /// g ← g + wd·mask·w; v ← μ·v + g; w ← w − ε·(nesterov ? g + μ·v : v).
    /// `decayMask` (1 for weights, 0 for biases) may be nil when wd = 0.
    static func momentumStep(
        parameters w: UnsafeMutablePointer<Self>, gradient g: UnsafeMutablePointer<Self>,
        velocity v: UnsafeMutablePointer<Self>, count n: Int,
        learningRate: Self, momentum: Self, nesterov: Bool,
        weightDecay: Self, decayMask: UnsafePointer<Self>?)
}
