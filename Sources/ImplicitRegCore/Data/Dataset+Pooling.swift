extension Dataset {
    /// Every image average-pooled over non-overlapping k × k windows (per channel; height and width
    /// must be divisible by k): 28 × 28 MNIST with k = 2 gives 14 × 14 = 196 features.
    public func averagePooled(by k: Int) -> Dataset {
        let (c, h, w) = exampleShape
        precondition(k >= 1 && h % k == 0 && w % k == 0, "\(name): \(h)×\(w) images do not pool by \(k)")
        let ph = h / k, pw = w / k
        let out = c * ph * pw
        var pooled = [T](repeating: 0, count: count * out)
        let scale = T(1) / T(k * k)
        for n in 0..<count {
            for ch in 0..<c {
                for i in 0..<ph {
                    for j in 0..<pw {
                        var s = T(0)
                        for di in 0..<k {
                            for dj in 0..<k { s += inputs.storage[n * featureCount + ch * h * w + (i * k + di) * w + j * k + dj] }
                        }
                        pooled[n * out + ch * ph * pw + i * pw + j] = s * scale
                    }
                }
            }
        }
        var result = self
        result.inputs = Matrix(rows: count, cols: out, storage: pooled)
        result.exampleShape = (c, ph, pw)
        result.name = "\(name)[pooled \(k)×\(k)]"
        return result
    }

    /// Inputs minus the per-feature `mean` (e.g. the training set's mean).
    public func centred(mean: [Double]) -> Dataset {
        precondition(mean.count == featureCount, "\(name): \(mean.count) means for \(featureCount) features")
        var result = self
        for n in 0..<count {
            for f in 0..<featureCount { result.inputs.storage[n * featureCount + f] -= T(mean[f]) }
        }
        return result
    }
}
