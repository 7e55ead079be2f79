import RealModule

// Default implementations of the elementwise kernels. They are written once, generically;
// each conformance (Float, Double) gets its own specialized copy because they are witnesses of
// protocol requirements (see the note on `BLASScalar`).

extension BLASScalar {
    public static func addRowVector(_ y: UnsafeMutablePointer<Self>, _ bias: UnsafePointer<Self>, rows: Int, cols: Int) {
        for r in 0..<rows {
            let row = y + r * cols
            for c in 0..<cols { row[c] += bias[c] }
        }
    }

    public static func columnSums(_ g: UnsafePointer<Self>, rows: Int, cols: Int, into out: UnsafeMutablePointer<Self>, beta: Self) {
        if beta == 0 { for c in 0..<cols { out[c] = 0 } } else if beta != 1 { for c in 0..<cols { out[c] *= beta } }
        for r in 0..<rows {
            let row = g + r * cols
            for c in 0..<cols { out[c] += row[c] }
        }
    }

    public static func relu(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ n: Int) {
        for i in 0..<n { y[i] = x[i] > 0 ? x[i] : 0 }
    }

    public static func maskPositive(_ x: UnsafePointer<Self>, _ v: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Self>, _ n: Int) {
        for i in 0..<n { out[i] = x[i] > 0 ? v[i] : 0 }
    }

    public static func tanh(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ n: Int) {
        for i in 0..<n { y[i] = Self.tanh(x[i]) }
    }

    public static func tanhDerivative(_ y: UnsafePointer<Self>, _ v: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Self>, _ n: Int) {
        for i in 0..<n { out[i] = (1 - y[i] * y[i]) * v[i] }
    }

    public static func tanhCurvature(_ y: UnsafePointer<Self>, _ ry: UnsafePointer<Self>, _ gy: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Self>, _ n: Int) {
        for i in 0..<n { out[i] -= 2 * y[i] * ry[i] * gy[i] }
    }

    public static func copy(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ n: Int) {
        y.update(from: x, count: n)
    }

    public static func fill(_ y: UnsafeMutablePointer<Self>, _ value: Self, _ n: Int) {
        y.update(repeating: value, count: n)
    }

    public static func subtract(_ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>, _ z: UnsafeMutablePointer<Self>, _ n: Int) {
        for i in 0..<n { z[i] = x[i] - y[i] }
    }

    public static func scaled(_ x: UnsafePointer<Self>, _ alpha: Self, _ y: UnsafeMutablePointer<Self>, _ n: Int) {
        for i in 0..<n { y[i] = alpha * x[i] }
    }

    public static func sumOfSquares(_ x: UnsafePointer<Self>, _ n: Int) -> Double {
        var s: Double = 0
        for i in 0..<n { let v = Double(x[i]); s += v * v }
        return s
    }

    public static func allFinite(_ x: UnsafePointer<Self>, _ n: Int) -> Bool {
        // A sum is NaN/Inf if any element is (or if it overflows, which is divergence too).
        var s: Self = 0
        for i in 0..<n { s += x[i] * 0 }
        return s.isFinite
    }

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
