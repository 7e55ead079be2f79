/// Gradient descent and per-example SGD on the least-squares loss ½‖Xw − y‖² (Double), the
/// setting of Zhang et al. 2017 §5: from w₀ every step moves w along row(X), so an interpolating
/// limit is w₀ + X⁺(y − Xw₀).
public enum LeastSquaresDescent {
    /// Full-batch GD w ← w − η·Xᵀ(Xw − y) for `steps` steps (stopping early once
    /// ‖Xw − y‖ ≤ `stopResidual`·‖y‖); `observe(step, w)` is called at step 0, every `every`
    /// steps and at the end. Returns w and the number of steps taken.
    public static func gradientDescent(_ x: Matrix<Double>, _ y: [Double], from w0: [Double], learningRate eta: Double,
                                       steps: Int, stopResidual: Double = 0, every: Int = 1,
                                       observe: (Int, [Double]) -> Void = { _, _ in }) -> (w: [Double], steps: Int) {
        var w = w0
        let ynorm = Vec.norm(y)
        observe(0, w)
        var step = 0
        while step < steps {
            var r = x.times(w)
            for i in r.indices { r[i] -= y[i] }
            if Vec.norm(r) <= stopResidual * ynorm { break }
            let g = x.times(r, transposed: true)
            w.withUnsafeMutableBufferPointer { pw in g.withUnsafeBufferPointer { Double.axpy(pw.count, -eta, $0.baseAddress!, pw.baseAddress!) } }
            step += 1
            if step % every == 0 { observe(step, w) }
        }
        if step % every != 0 { observe(step, w) }
        return (w, step)
    }

    /// Per-example SGD: each epoch visits the rows in a fresh order drawn from `rng` and takes
    /// w ← w − η·(xᵢᵀw − yᵢ)·xᵢ; `observe(epoch, w)` after every epoch (and at 0).
    public static func stochasticGradientDescent(_ x: Matrix<Double>, _ y: [Double], from w0: [Double], learningRate eta: Double,
                                                 epochs: Int, using rng: inout Xoshiro256StarStar,
                                                 observe: (Int, [Double]) -> Void = { _, _ in }) -> [Double] {
        var w = w0
        let d = x.cols
        observe(0, w)
        for epoch in 1...Swift.max(epochs, 1) where epochs > 0 {
            for i in rng.permutation(x.rows) {
                x.storage.withUnsafeBufferPointer { px in
                    w.withUnsafeMutableBufferPointer { pw in
                        let row = px.baseAddress! + i * d
                        let r = Double.dot(d, row, pw.baseAddress!) - y[i]
                        Double.axpy(d, -eta * r, row, pw.baseAddress!)
                    }
                }
            }
            observe(epoch, w)
        }
        return w
    }
}
