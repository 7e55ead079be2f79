import RealModule

// Default implementations of the elementwise kernels. They are written once, generically;
// @inlinable so that a concrete call from another module (`Float.copy(...)`) is specialized too;
// each conformance (Float, Double) gets its own specialized copy because they are witnesses of
// protocol requirements (see the note on `BLASScalar`).

extension BLASScalar {
    @inlinable
    public static func addRowVector(_ y: UnsafeMutablePointer<Self>, _ bias: UnsafePointer<Self>, rows: Int, cols: Int) {
        for r in 0..<rows {
            let row = y + r * cols
            for c in 0..<cols { row[c] += bias[c] }
        }
    }

    @inlinable
    public static func columnSums(_ g: UnsafePointer<Self>, rows: Int, cols: Int, into out: UnsafeMutablePointer<Self>, beta: Self) {
        if beta == 0 {
            for c in 0..<cols { out[c] = 0 }
            for r in 0..<rows {
                let row = g + r * cols
                for c in 0..<cols { out[c] += row[c] }
            }
        } else {
            // The sum first, then β·out + sum: the same rounding as summing with β = 0 and
            // combining afterwards (a fused momentum step equals the two-pass one bit for bit).
            for c in 0..<cols {
                var sum: Self = 0
                for r in 0..<rows { sum += g[r * cols + c] }
                out[c] = beta == 1 ? out[c] + sum : beta * out[c] + sum
            }
        }
    }

    @inlinable
    public static func relu(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ n: Int) {
        for i in 0..<n { y[i] = x[i] > 0 ? x[i] : 0 }
    }

    @inlinable
    public static func maskPositive(_ x: UnsafePointer<Self>, _ v: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Self>, _ n: Int) {
        // Branch-free: `x > 0 ? v : 0` compiles to a branch that mispredicts on random signs
        // (≈ 50× slower on ReLU's backward). A select of the constant 0/1 vectorizes; it differs
        // from the branch only in the sign of a zero (and gives NaN for an infinite v).
        for i in 0..<n { out[i] = v[i] * (x[i] > 0 ? 1 : 0) }
    }

    @inlinable
    public static func tanh(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ n: Int) {
        for i in 0..<n { y[i] = Self.tanh(x[i]) }
    }

    @inlinable
    public static func tanhDerivative(_ y: UnsafePointer<Self>, _ v: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Self>, _ n: Int) {
        for i in 0..<n { out[i] = (1 - y[i] * y[i]) * v[i] }
    }

    @inlinable
    public static func tanhCurvature(_ y: UnsafePointer<Self>, _ ry: UnsafePointer<Self>, _ gy: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Self>, _ n: Int) {
        for i in 0..<n { out[i] -= 2 * y[i] * ry[i] * gy[i] }
    }

    @inlinable
    public static func copy(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ n: Int) {
        y.update(from: x, count: n)
    }

    @inlinable
    public static func fill(_ y: UnsafeMutablePointer<Self>, _ value: Self, _ n: Int) {
        y.update(repeating: value, count: n)
    }

    @inlinable
    public static func subtract(_ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>, _ z: UnsafeMutablePointer<Self>, _ n: Int) {
        for i in 0..<n { z[i] = x[i] - y[i] }
    }

    @inlinable
    public static func scaled(_ x: UnsafePointer<Self>, _ alpha: Self, _ y: UnsafeMutablePointer<Self>, _ n: Int) {
        for i in 0..<n { y[i] = alpha * x[i] }
    }

    @inlinable
    public static func sumOfSquares(_ x: UnsafePointer<Self>, _ n: Int) -> Double {
        var s: Double = 0
        for i in 0..<n { let v = Double(x[i]); s += v * v }
        return s
    }

    @inlinable
    public static func allFinite(_ x: UnsafePointer<Self>, _ n: Int) -> Bool {
        // A sum is NaN/Inf if any element is (or if it overflows, which is divergence too).
        var s: Self = 0
        for i in 0..<n { s += x[i] * 0 }
        return s.isFinite
    }

    @inlinable
    public static func softmaxCrossEntropy(
        logits: UnsafePointer<Self>, labels: UnsafePointer<Int32>, rows: Int, cols: Int,
        probabilities: UnsafeMutablePointer<Self>, gradient: UnsafeMutablePointer<Self>?,
        gradScale: Self
    ) -> (lossSum: Double, correct: Int) {
        var loss: Double = 0
        var correct = 0
        for r in 0..<rows {
            let z = logits + r * cols
            let p = probabilities + r * cols
            var maxValue = z[0]
            var argmax = 0
            for c in 1..<cols where z[c] > maxValue { maxValue = z[c]; argmax = c }
            var sum: Self = 0
            for c in 0..<cols { let e = Self.exp(z[c] - maxValue); p[c] = e; sum += e }
            let inv = 1 / sum
            for c in 0..<cols { p[c] *= inv }
            let label = Int(labels[r])
            if argmax == label { correct += 1 }
            // −log p_y = log Σ exp(z − max) − (z_y − max), stable even when p_y underflows.
            loss += Double(Self.log(sum)) - Double(z[label] - maxValue)
            if let gradient {
                let g = gradient + r * cols
                for c in 0..<cols { g[c] = p[c] * gradScale }
                g[label] -= gradScale
            }
        }
        return (loss, correct)
    }

    @inlinable
    public static func softmaxTangent(
        probabilities: UnsafePointer<Self>, tangent: UnsafePointer<Self>, rows: Int, cols: Int,
        gradScale: Self, into out: UnsafeMutablePointer<Self>
    ) {
        for r in 0..<rows {
            let p = probabilities + r * cols
            let t = tangent + r * cols
            let o = out + r * cols
            var inner: Self = 0
            for c in 0..<cols { inner += p[c] * t[c] }
            for c in 0..<cols { o[c] = gradScale * p[c] * (t[c] - inner) }
        }
    }

    @inlinable
    public static func squaredError(
        output z: UnsafePointer<Self>, targets t: UnsafePointer<Self>, count n: Int,
        gradient: UnsafeMutablePointer<Self>?, gradScale: Self
    ) -> Double {
        var sum: Double = 0
        for i in 0..<n {
            let d = z[i] - t[i]
            sum += Double(d * d)
            gradient?[i] = d * gradScale
        }
        return sum / 2
    }

    @inlinable
    public static func argmaxMatches(_ z: UnsafePointer<Self>, labels: UnsafePointer<Int32>, rows: Int, cols: Int) -> Int {
        var correct = 0
        for r in 0..<rows {
            let row = z + r * cols
            var best = 0
            for c in 1..<cols where row[c] > row[best] { best = c }
            if best == Int(labels[r]) { correct += 1 }
        }
        return correct
    }

    @inlinable
    public static func scaleAdd(_ x: UnsafePointer<Self>, into y: UnsafeMutablePointer<Self>, beta: Self, _ n: Int) {
        if beta == 0 {
            for i in 0..<n { y[i] = x[i] }
        } else if beta == 1 {
            for i in 0..<n { y[i] += x[i] }
        } else {
            for i in 0..<n { y[i] = beta * y[i] + x[i] }
        }
    }

    @inlinable
    public static func velocityStep(
        parameters w: UnsafeMutablePointer<Self>, velocity v: UnsafeMutablePointer<Self>, count n: Int,
        learningRate: Self, momentum: Self
    ) {
        for i in 0..<n {
            let vi = v[i]
            w[i] -= learningRate * vi
            v[i] = momentum * vi
        }
    }

    @inlinable
    public static func momentumStep(
        parameters w: UnsafeMutablePointer<Self>, gradient g: UnsafeMutablePointer<Self>,
        velocity v: UnsafeMutablePointer<Self>, count n: Int,
        learningRate: Self, momentum: Self, nesterov: Bool,
        weightDecay: Self, decayMask: UnsafePointer<Self>?
    ) {
        if weightDecay != 0, let decayMask {
            for i in 0..<n { g[i] += weightDecay * decayMask[i] * w[i] }
        }
        if momentum == 0 {
            for i in 0..<n { w[i] -= learningRate * g[i] }
        } else if nesterov {
            for i in 0..<n {
                let vi = momentum * v[i] + g[i]
                v[i] = vi
                w[i] -= learningRate * (g[i] + momentum * vi)
            }
        } else {
            for i in 0..<n {
                let vi = momentum * v[i] + g[i]
                v[i] = vi
                w[i] -= learningRate * vi
            }
        }
    }
}

// Convolution and pooling kernels (Conv2D, MaxPool2D).
extension BLASScalar {
    @inlinable
    public static func im2col(
        _ x: UnsafePointer<Self>, channels: Int, height: Int, width: Int,
        kernelHeight: Int, kernelWidth: Int, padding: Int, into cols: UnsafeMutablePointer<Self>
    ) {
        let outH = height + 2 * padding - kernelHeight + 1
        let outW = width + 2 * padding - kernelWidth + 1
        var row = cols
        for c in 0..<channels {
            let plane = x + c * height * width
            for i in 0..<kernelHeight {
                for j in 0..<kernelWidth {
                    // Output columns ox whose source column ox + j − p lies inside the image.
                    let lo = min(max(padding - j, 0), outW)
                    let hi = max(min(width + padding - j, outW), lo)
                    for oy in 0..<outH {
                        let dst = row + oy * outW
                        let iy = oy + i - padding
                        if iy < 0 || iy >= height {
                            dst.update(repeating: 0, count: outW)
                            continue
                        }
                        if lo > 0 { dst.update(repeating: 0, count: lo) }
                        if hi > lo { (dst + lo).update(from: plane + iy * width + (lo + j - padding), count: hi - lo) }
                        if hi < outW { (dst + hi).update(repeating: 0, count: outW - hi) }
                    }
                    row += outH * outW
                }
            }
        }
    }

    @inlinable
    public static func col2im(
        _ cols: UnsafePointer<Self>, channels: Int, height: Int, width: Int,
        kernelHeight: Int, kernelWidth: Int, padding: Int, into x: UnsafeMutablePointer<Self>
    ) {
        let outH = height + 2 * padding - kernelHeight + 1
        let outW = width + 2 * padding - kernelWidth + 1
        x.update(repeating: 0, count: channels * height * width)
        var row = cols
        for c in 0..<channels {
            let plane = x + c * height * width
            for i in 0..<kernelHeight {
                for j in 0..<kernelWidth {
                    let lo = min(max(padding - j, 0), outW)
                    let hi = max(min(width + padding - j, outW), lo)
                    let oyLo = min(max(padding - i, 0), outH)
                    let oyHi = max(min(height + padding - i, outH), oyLo)
                    for oy in oyLo..<oyHi {
                        let src = row + oy * outW
                        let dst = plane + (oy + i - padding) * width + (j - padding)
                        for ox in lo..<hi { dst[ox] += src[ox] }
                    }
                    row += outH * outW
                }
            }
        }
    }

    @inlinable
    public static func addChannelBias(
        _ y: UnsafeMutablePointer<Self>, _ bias: UnsafePointer<Self>, batch: Int, channels: Int, spatial: Int
    ) {
        var row = y
        for _ in 0..<batch {
            for c in 0..<channels {
                let b = bias[c]
                for s in 0..<spatial { row[s] += b }
                row += spatial
            }
        }
    }

    @inlinable
    public static func channelSums(
        _ g: UnsafePointer<Self>, batch: Int, channels: Int, spatial: Int,
        into out: UnsafeMutablePointer<Self>, beta: Self
    ) {
        if beta == 0 { for c in 0..<channels { out[c] = 0 } } else if beta != 1 { for c in 0..<channels { out[c] *= beta } }
        // Each channel's sum runs over s in order, as one loop per channel would; four channels
        // at a time only interleave four independent chains of additions (the latency of one
        // chain bounded the single loop), so the sums are the same bit for bit.
        var row = g
        for _ in 0..<batch {
            var c = 0
            while c + 4 <= channels {
                let r0 = row, r1 = row + spatial, r2 = row + 2 * spatial, r3 = row + 3 * spatial
                var s0: Self = 0, s1: Self = 0, s2: Self = 0, s3: Self = 0
                for s in 0..<spatial {
                    s0 += r0[s]
                    s1 += r1[s]
                    s2 += r2[s]
                    s3 += r3[s]
                }
                out[c] += s0
                out[c + 1] += s1
                out[c + 2] += s2
                out[c + 3] += s3
                row += 4 * spatial
                c += 4
            }
            while c < channels {
                var sum: Self = 0
                for s in 0..<spatial { sum += row[s] }
                out[c] += sum
                row += spatial
                c += 1
            }
        }
    }

    @inlinable
    public static func maxPool(
        _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, indices: UnsafeMutablePointer<Int32>,
        planes: Int, height: Int, width: Int, pool: Int
    ) {
        let outH = height / pool, outW = width / pool
        for q in 0..<planes {
            let plane = x + q * height * width
            let yPlane = y + q * outH * outW
            let iPlane = indices + q * outH * outW
            for oy in 0..<outH {
                for ox in 0..<outW {
                    var best = oy * pool * width + ox * pool
                    var bestValue = plane[best]
                    for i in 0..<pool {
                        let rowStart = (oy * pool + i) * width + ox * pool
                        for j in 0..<pool where plane[rowStart + j] > bestValue {
                            best = rowStart + j
                            bestValue = plane[best]
                        }
                    }
                    yPlane[oy * outW + ox] = bestValue
                    iPlane[oy * outW + ox] = Int32(truncatingIfNeeded: best)
                }
            }
        }
    }

    @inlinable
    public static func gatherPlanes(
        _ x: UnsafePointer<Self>, indices: UnsafePointer<Int32>, _ out: UnsafeMutablePointer<Self>,
        planes: Int, inputPlaneSize: Int, outputPlaneSize: Int
    ) {
        for q in 0..<planes {
            let src = x + q * inputPlaneSize
            let dst = out + q * outputPlaneSize
            let idx = indices + q * outputPlaneSize
            for o in 0..<outputPlaneSize { dst[o] = src[Int(idx[o])] }
        }
    }

    @inlinable
    public static func scatterPlanes(
        _ g: UnsafePointer<Self>, indices: UnsafePointer<Int32>, _ out: UnsafeMutablePointer<Self>,
        planes: Int, inputPlaneSize: Int, outputPlaneSize: Int
    ) {
        out.update(repeating: 0, count: planes * inputPlaneSize)
        for q in 0..<planes {
            let src = g + q * outputPlaneSize
            let dst = out + q * inputPlaneSize
            let idx = indices + q * outputPlaneSize
            for o in 0..<outputPlaneSize { dst[Int(idx[o])] += src[o] }
        }
    }
}
