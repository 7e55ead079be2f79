import ArgumentParser
import ImplicitRegCore

/// `implicit-reg-bench mf-step`: one gradient step of the depth-3 matrix factorization of the
/// minimum-norm reading — a 100×100 deep linear network W₃W₂W₁ on identity inputs (so its
/// output is the end-to-end matrix) with squared error against a random 100×100 target.
struct MatrixFactorizationStep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mf-step",
        abstract: "Time one lossAndGradient + SGD update of a depth-3 100×100 deep linear net (Double).",
        discussion: """
            Loss: ½‖X·W₁W₂W₃ − T‖² averaged over the 100 rows, X = I, T ~ N(0, 1); update θ ← θ − 0.01·∇. \
            FLOPs per step: 8·2·100³ (3 products forward; 3 weight-gradient and 2 input-gradient \
            products backward) + 2·3·100² for the update.
            """)

    @Option(help: "Timed steps (each is one sample; the median is reported).")
    var reps = 200

    @Option(help: "Untimed steps first.")
    var warmup = 20

    @OptionGroup var common: CommonBenchOptions

    func validate() throws {
        guard reps > 0, warmup >= 0 else { throw ValidationError("need reps > 0 and warmup ≥ 0") }
    }

    func run() throws {
        common.apply()
        let d = ReferenceShapes.factorizationDimension, depth = ReferenceShapes.factorizationDepth
        let model = Sequential<Double>(Architectures.deepLinear(dimension: d, depth: depth), loss: MeanSquaredError<Double>())
        var rng = RandomStreams(seed: common.seed).stream(.initialization)
        model.initialize(Initializer(.lecun, .normal), using: &rng)
        // The input buffer keeps the identity between steps: passes are called with inputs: nil.
        let x = model.inputBuffer(batch: d)
        Double.fill(x, 0, d * d)
        for i in 0..<d { x[i * d + i] = 1 }
        let target = Buffer<Double>(SyntheticInputs.normals(d * d, stream: "bench-mf-target", seed: common.seed))
        let targets = TargetBatch<Double>(labels: nil, values: UnsafePointer(target.pointer))
        let count = model.parameterCount
        let lr = ReferenceShapes.learningRate
        let timing = Timing.measure(warmup: warmup, count: reps) {
            model.lossAndGradient(nil, targets: targets, batch: d)
            Double.axpy(count, -lr, model.gradient.pointer, model.parameters.pointer)
        }
        let flops = 8 * 2 * pow3(d) + 2 * Double(count)
        var m = Measurement(workload: "mf-step", precision: Double.typeName, timing: timing, warmup: warmup,
                            flops: flops, flopFormula: "8*2*d^3 + 2*depth*d^2, d=100, depth=3")
        m.n = d
        m.batch = d
        return try emit(m)
    }
}

/// `implicit-reg-bench mlp-hvp`: one exact Hessian-vector product of the reference MLP's
/// batch-mean loss (`Sequential.hessianVectorProduct`, the R-operator), in Double, on one batch
/// of 128 examples — the curvature probe of the gradient-regularization reading.
struct MLPHessianVectorProduct: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp-hvp",
        abstract: "Time one exact H·v of the 784-512-512-10 MLP (Double) on a batch of 128.",
        discussion: """
            Nominal FLOPs per product: 2·B·(4·784·512 + 9·(512·512 + 512·10)), the matrix products \
            of a forward-over-reverse pass in which the input's tangent is zero (forward, tangent \
            forward, backward, tangent backward). The core's R-operator also multiplies that zero \
            tangent at the first layer (2 more products of 784×512), which this count leaves out.
            """)

    @Option(help: "Timed products (each is one sample; the median is reported).")
    var reps = 10

    @Option(help: "Untimed products first.")
    var warmup = 2

    @OptionGroup var common: CommonBenchOptions

    func validate() throws {
        guard reps > 0, warmup >= 0 else { throw ValidationError("need reps > 0 and warmup ≥ 0") }
    }

    func run() throws {
        common.apply()
        let b = ReferenceShapes.hvpBatch
        let data = SyntheticInputs.classification(rows: b, cols: ReferenceShapes.mlpInput,
                                                  classes: ReferenceShapes.mlpClasses, seed: common.seed, as: Double.self)
        let model = SyntheticInputs.mlp(seed: common.seed, as: Double.self)
        let count = model.parameterCount
        let v = Buffer<Double>(SyntheticInputs.normals(count, stream: "bench-hvp-direction", seed: common.seed))
        let hv = Buffer<Double>(capacity: count)
        // Load the batch once; every product then reads it in place (inputs: nil).
        let x = model.inputBuffer(batch: b)
        data.inputs.storage.withUnsafeBufferPointer { Double.copy($0.baseAddress!, x, b * ReferenceShapes.mlpInput) }
        let timing = data.labels.withUnsafeBufferPointer { labels in
            let targets = TargetBatch<Double>(labels: labels.baseAddress!, values: nil)
            return Timing.measure(warmup: warmup, count: reps) {
                model.hessianVectorProduct(UnsafePointer(v.pointer), into: hv.pointer, inputs: nil, targets: targets, batch: b)
            }
        }
        let hidden = ReferenceShapes.mlpHidden
        let first = ReferenceShapes.mlpInput * hidden[0]
        let rest = ReferenceShapes.mlpWeightCount() - first
        var m = Measurement(workload: "mlp-hvp", precision: Double.typeName, timing: timing, warmup: warmup,
                            flops: 2 * Double(b) * Double(4 * first + 9 * rest),
                            flopFormula: "2*B*(4*784*512 + 9*(512*512+512*10)), B=128")
        m.batch = b
        m.note = "exact R-operator H·v of the batch-mean softmax cross-entropy on one batch of 128"
        return try emit(m)
    }
}

/// d³ as a Double.
private func pow3(_ d: Int) -> Double { Double(d) * Double(d) * Double(d) }
