/// Random-translation data augmentation applied to each training batch: every image of the batch
/// is moved by its own integer offset (dx, dy), each uniform in {−s, …, s}, with zero padding in
/// the *raw* pixel space (pixels shifted in from outside the image are black).
///
/// Batches usually hold standardized inputs z_j = (x_j − μ_j)/σ_j. The transform then works as if
/// it had shifted the raw image before standardizing: the value moved from source pixel k to
/// pixel j becomes ((z_k·σ_k + μ_k) − μ_j)/σ_j, and a padded pixel becomes (0 − μ_j)/σ_j. Pass the
/// per-feature `mean` μ and `divisor` σ used to standardize (nil for raw inputs).
///
/// Draws: per image of the batch in order, dx then dy, each `nextInt(below: 2s + 1) − s`, from
/// the generator given at creation (a named stream, e.g. "augmentation").
public final class ShiftAugmentation<Scalar: BLASScalar> {
    /// Image shape (channel-major rows).
    public let channels: Int, height: Int, width: Int
    /// Largest shift s in pixels, in each direction.
    public let maxShift: Int
    /// Offsets drawn so far are reproducible from this generator.
    public var rng: Xoshiro256StarStar
    @usableFromInline let mean: [Scalar]
    @usableFromInline let divisor: [Scalar]
    @usableFromInline var scratch: [Scalar]

    /// An augmentation for `shape` images shifted by up to `maxShift` pixels; `mean` and `divisor`
    /// describe the standardization of the inputs (both nil: raw inputs).
    public init(shape: (channels: Int, height: Int, width: Int), maxShift: Int, mean: [Double]? = nil,
                divisor: [Double]? = nil, rng: Xoshiro256StarStar) {
        let d = shape.channels * shape.height * shape.width
        precondition(maxShift >= 0 && maxShift < min(shape.height, shape.width), "a shift must be in [0, image size), not \(maxShift)")
        precondition((mean == nil) == (divisor == nil), "give both the mean and the divisor of the standardization, or neither")
        precondition(mean.map { $0.count == d } ?? true && divisor.map { $0.count == d } ?? true,
                     "standardization statistics must have one value per feature (\(d))")
        channels = shape.channels
        height = shape.height
        width = shape.width
        self.maxShift = maxShift
        self.rng = rng
        self.mean = (mean ?? [Double](repeating: 0, count: d)).map { Scalar($0) }
        self.divisor = (divisor ?? [Double](repeating: 1, count: d)).map { Scalar($0) }
        scratch = [Scalar](repeating: 0, count: d)
    }

    /// Features per image.
    public var featureCount: Int { channels * height * width }

    /// Shifts each of the `batch` images stored row by row at `x`, in place.
    @inlinable
    public func apply(_ x: UnsafeMutablePointer<Scalar>, batch: Int) {
        let d = featureCount
        let span = 2 * maxShift + 1
        for b in 0..<batch {
            let dx = rng.nextInt(below: span) - maxShift
            let dy = rng.nextInt(below: span) - maxShift
            let image = x + b * d
            scratch.withUnsafeMutableBufferPointer { out in
                mean.withUnsafeBufferPointer { mu in
                    divisor.withUnsafeBufferPointer { sigma in
                        for c in 0..<channels {
                            for i in 0..<height {
                                let si = i - dy
                                for j in 0..<width {
                                    let target = (c * height + i) * width + j
                                    let sj = j - dx
                                    var raw: Scalar = 0
                                    if si >= 0 && si < height && sj >= 0 && sj < width {
                                        let source = (c * height + si) * width + sj
                                        raw = image[source] * sigma[source] + mu[source]
                                    }
                                    out[target] = (raw - mu[target]) / sigma[target]
                                }
                            }
                        }
                    }
                }
                image.update(from: out.baseAddress!, count: d)
            }
        }
    }
}
