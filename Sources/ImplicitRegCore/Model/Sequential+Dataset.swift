/// Loss and accuracy of a model on a whole data set.
public struct Evaluation: Sendable, Equatable {
    /// Mean loss over the examples.
    public var loss: Double
    /// Fraction of examples whose arg-max output is the label (0 without labels).
    public var accuracy: Double
}

extension Dataset {
    /// Runs `body` with pointers to rows start..<start+count of inputs, labels and targets.
    public func withBatch<R>(start: Int, count: Int,
                             _ body: (UnsafePointer<T>, TargetBatch<T>) throws -> R) rethrows -> R {
        try inputs.storage.withUnsafeBufferPointer { x in
            try labels.withUnsafeBufferPointer { y in
                let labelPointer = labels.isEmpty ? nil : y.baseAddress! + start
                if let targets {
                    return try targets.storage.withUnsafeBufferPointer { t in
                        try body(x.baseAddress! + start * featureCount,
                                 TargetBatch(labels: labelPointer, values: t.baseAddress! + start * targets.cols))
                    }
                }
                return try body(x.baseAddress! + start * featureCount, TargetBatch(labels: labelPointer, values: nil))
            }
        }
    }
}

extension Sequential {
    /// Mean loss and accuracy over `data`, in chunks of `chunk` examples (no gradients).
    public func evaluate(_ data: Dataset<Scalar>, chunk: Int = 1000,
                         parameters θ: UnsafePointer<Scalar>? = nil) -> Evaluation {
        var lossSum = 0.0
        var correct = 0
        var start = 0
        while start < data.count {
            let n = min(chunk, data.count - start)
            let r = data.withBatch(start: start, count: n) { x, t in evaluate(x, targets: t, batch: n, parameters: θ) }
            lossSum += r.lossSum
            correct += r.correct
            start += n
        }
        let count = max(data.count, 1)
        return Evaluation(loss: lossSum / Double(count),
                          accuracy: data.labels.isEmpty ? 0 : Double(correct) / Double(count))
    }

    /// The full-data-set mean loss and its gradient ∇L(θ), in chunks; the gradient goes to
    /// ``gradient`` (or `into`). Uses `scratch` (≥ ``parameterCount``) for chunk gradients.
    @discardableResult
    public func fullGradient(_ data: Dataset<Scalar>, chunk: Int = 1000,
                             into g: UnsafeMutablePointer<Scalar>? = nil,
                             scratch: Buffer<Scalar>) -> Double {
        let out = g ?? gradient.pointer
        scratch.reserve(parameterCount)
        Scalar.fill(out, 0, parameterCount)
        var loss = 0.0
        var start = 0
        while start < data.count {
            let n = min(chunk, data.count - start)
            let weight = Double(n) / Double(data.count)
            let r = data.withBatch(start: start, count: n) { x, t in
                lossAndGradient(x, targets: t, batch: n, into: scratch.pointer, gradientWeight: Scalar(weight))
            }
            Scalar.axpy(parameterCount, 1, scratch.pointer, out)
            loss += r.loss * weight
            start += n
        }
        return loss
    }

    /// The exact Hessian-vector product of the full-data-set mean loss, H·v, in chunks.
    public func fullHessianVectorProduct(_ v: UnsafePointer<Scalar>, into hv: UnsafeMutablePointer<Scalar>,
                                         data: Dataset<Scalar>, chunk: Int = 1000, scratch: Buffer<Scalar>) {
        scratch.reserve(2 * parameterCount)
        Scalar.fill(hv, 0, parameterCount)
        var start = 0
        while start < data.count {
            let n = min(chunk, data.count - start)
            let weight = Scalar(Double(n) / Double(data.count))
            _ = data.withBatch(start: start, count: n) { x, t in
                hessianVectorProduct(v, into: scratch.pointer, inputs: x, targets: t, batch: n,
                                     gradientInto: scratch.pointer + parameterCount, weight: weight)
            }
            Scalar.axpy(parameterCount, 1, scratch.pointer, hv)
            start += n
        }
    }
}
