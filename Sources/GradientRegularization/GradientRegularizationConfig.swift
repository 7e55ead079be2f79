import ImplicitRegCore
import ReadingSupport

/// The experiments of the reading (one grid point each).
enum Experiment: String, Codable, CaseIterable, Sendable {
    /// One GD step on the two-parameter model against GF, MF1 and MF2 (error vs h).
    case localOrder = "local-order"
    /// GD to a fixed time T against the same flows (error vs h = T/n).
    case globalOrder = "global-order"
    /// D = a² − b² and the sharpness at the minimum reached, for a sweep of h (Figure 1).
    case balance
    /// The local-order experiment through the generic network code (tanh MLP).
    case genericLocalOrder = "generic-local-order"
    /// The global-order experiment through the generic network code.
    case genericGlobalOrder = "generic-global-order"
    /// Full-batch GD on an MNIST-5k MLP: a step-size sweep and explicit gradient regularisation (one point per run).
    case mnist
}

/// E(a, b) = ½(y − a b x)² from a start (a₀, b₀).
struct ProductSetup: Codable, Sendable {
    var x: Double
    var y: Double
    var start: [Double]

    func validate(field: String) throws {
        try requireValid(x != 0, field: "\(field).x", value: x, "must be non-zero (x = 0 makes the loss constant)")
        try requireValid(start.count == 2 && start.allSatisfy(\.isFinite), field: "\(field).start", value: start,
                         "must be two finite numbers (a₀, b₀)")
    }

    var model: ProductModel { ProductModel(x: [x], y: [y]) }
}

/// Step sizes of the one-step comparison and the RK4 substeps per step.
struct LocalOrderSetup: Codable, Sendable {
    /// The GD step sizes h (each compared with the flows over time h).
    var stepSizes: [Double]
    /// RK4 substeps K per step of length h (the check reruns with 2K).
    var substeps: Int
}

/// The fixed-time comparison.
struct GlobalOrderSetup: Codable, Sendable {
    /// The time T = n·h.
    var time: Double
    /// The step counts n (h = T/n).
    var stepCounts: [Int]
    /// RK4 substeps K per GD step.
    var substeps: Int
}

/// The flatness sweep of Figure 1.
struct BalanceSetup: Codable, Sendable {
    var model: ProductSetup
    /// GD step sizes h, increasing.
    var stepSizes: [Double]
    /// GD stops when ‖∇E‖ falls below this.
    var gradientTolerance: Double
    /// GD gives up (an error) after this many steps.
    var maxSteps: Int
    /// The gradient flow (and the modified flows of the portrait) run for this time.
    var flowTime: Double
    /// RK4 step of the gradient flow.
    var flowStep: Double
    /// The step sizes whose GD, GF and MF1 paths are stored for the phase portrait (small h_S, moderate h_M).
    var portraitStepSizes: [Double]
}

/// The generic-path network: a tanh MLP with the squared loss on a few random points.
struct GenericPathSetup: Codable, Sendable {
    /// Input width (2 in 2-3-1).
    var inputs: Int
    /// Hidden widths ([3] in 2-3-1).
    var hidden: [Int]
    /// Training points (inputs uniform in [−1, 1], target sin(2x₁) + x₂/2).
    var examples: Int
    /// GD step sizes of the one-step comparison.
    var localStepSizes: [Double]
    /// Step counts of the fixed-time comparison (T from global_order).
    var globalStepCounts: [Int]
}

/// One explicit-regularisation run: GD at a small step on E + μ‖∇E‖² with μ = (h_L − h_s)/4, the
/// explicit term equal to the implicit one GD at h_L adds on top of GD at h_s.
struct ExplicitRun: Codable, Sendable, Equatable {
    /// h_s, the step the run uses.
    var stepSize: Double
    /// h_L, the larger step whose implicit regularisation the explicit term supplies.
    var matchedStepSize: Double
    /// μ = (h_L − h_s)/4.
    var coefficient: Double { (matchedStepSize - stepSize) / 4 }
}

/// The real-data experiment: full-batch GD on MNIST-5k, one run per (step size or explicit run, seed).
struct MNISTSetup: Codable, Sendable {
    /// Training and test examples, split from a shuffle of the 5,000 images drawn from each run's seed:
    /// every seed has its own training subset and initialisation.
    var trainSize: Int
    var testSize: Int
    /// Average pooling window (2: 28×28 → 14×14 = 196 inputs), then centring with the training mean.
    var pool: Int
    /// Hidden widths of the tanh MLP (softmax cross-entropy, LeCun-normal weights, zero biases, float32).
    var hidden: [Int]
    /// The step-size sweep, increasing.
    var stepSizes: [Double]
    /// Explicit-regularisation runs. The first one's h_s and h_L (both in `step_sizes`) are also the
    /// small and large step the sweep's comparisons read.
    var explicit: [ExplicitRun]
    /// Seeds (offsets added to the config seed); each draws its run's subset and initialisation.
    var seeds: [UInt64]
    /// The stopping rule: a run stops at the first step whose full-batch training loss E (without any
    /// explicit term) is at or below this, so that every run is compared at equal training loss.
    var stopTrainLoss: Double
    /// A run that has not reached `stop_train_loss` by time h·steps = max_time stops there and is
    /// marked not converged (a failed control, not a result).
    var maxTime: Double
    /// Time (h·steps) between recorded points of the curves (loss, R_IG, test accuracy); at least every step.
    var recordInterval: Double
    /// Time between estimates of λ_max along the run (warm-started power iteration), at least every step.
    var sharpnessInterval: Double
    /// Power-iteration steps per estimate along the run (warm-started from the previous vector).
    var sharpnessIterations: Int
    /// Power-iteration steps for the final sharpness (cold start).
    var powerIterations: Int
    /// Relative scales σ of the parameter perturbations θ + σ(‖θ‖/√m)z, z ~ N(0, I), applied to the trained network.
    var perturbationScales: [Double]
    /// Perturbation draws per scale (the same draws for every run of a seed).
    var perturbationDraws: Int

    /// h_s and h_L of the comparisons: the first explicit run's step and matched step.
    var comparison: (small: Double, large: Double) { (explicit[0].stepSize, explicit[0].matchedStepSize) }
}

/// The gradient-regularization reading's configuration (see configs/*.json).
struct GradientRegularizationConfig: ReadingConfig {
    var seed: UInt64
    var experiments: [Experiment]
    var productModel: ProductSetup
    var localOrder: LocalOrderSetup
    var globalOrder: GlobalOrderSetup
    var balance: BalanceSetup
    var genericPath: GenericPathSetup
    var mnist: MNISTSetup

    func validate() throws {
        try requireValid(!experiments.isEmpty && Set(experiments).count == experiments.count, field: "experiments",
                         value: experiments.map(\.rawValue), "must list distinct experiments")
        try productModel.validate(field: "product_model")
        try balance.model.validate(field: "balance.model")
        for (field, hs) in [("local_order.step_sizes", localOrder.stepSizes), ("generic_path.local_step_sizes", genericPath.localStepSizes)] {
            try requireValid(hs.count >= 2 && hs.allSatisfy { $0 > 0 && $0.isFinite } && Set(hs).count == hs.count,
                             field: field, value: hs, "must list at least two distinct positive step sizes (the slope is fitted over them)")
        }
        for (field, ns) in [("global_order.step_counts", globalOrder.stepCounts), ("generic_path.global_step_counts", genericPath.globalStepCounts)] {
            try requireValid(ns.count >= 2 && ns.allSatisfy { $0 >= 1 } && Set(ns).count == ns.count,
                             field: field, value: ns, "must list at least two distinct positive step counts")
        }
        try requireValid(localOrder.substeps >= 1, field: "local_order.substeps", value: localOrder.substeps, "must be at least 1")
        try requireValid(globalOrder.substeps >= 1, field: "global_order.substeps", value: globalOrder.substeps, "must be at least 1")
        try requireValid(globalOrder.time > 0, field: "global_order.time", value: globalOrder.time, "must be positive")
        try requireValid(balance.stepSizes.count >= 2 && balance.stepSizes.allSatisfy { $0 > 0 } && balance.stepSizes == balance.stepSizes.sorted(),
                         field: "balance.step_sizes", value: balance.stepSizes, "must list at least two positive step sizes in increasing order")
        let limit = 2 / (balance.model.x * balance.model.x * balance.model.start.map { $0 * $0 }.reduce(0, +))
        try requireValid(balance.stepSizes.last! < limit, field: "balance.step_sizes", value: balance.stepSizes,
                         "must stay below the stability limit 2/(x²(a₀² + b₀²)) = \(limit) at the start")
        try requireValid(balance.gradientTolerance > 0, field: "balance.gradient_tolerance", value: balance.gradientTolerance, "must be positive")
        try requireValid(balance.maxSteps >= 1, field: "balance.max_steps", value: balance.maxSteps, "must be at least 1")
        try requireValid(balance.flowTime > 0 && balance.flowStep > 0 && balance.flowStep < balance.flowTime,
                         field: "balance.flow_step", value: balance.flowStep, "must be positive and below balance.flow_time")
        try requireValid(balance.portraitStepSizes.allSatisfy { balance.stepSizes.contains($0) }, field: "balance.portrait_step_sizes",
                         value: balance.portraitStepSizes, "must be among balance.step_sizes")
        try requireValid(mnist.trainSize >= 10 && mnist.testSize >= 1 && mnist.trainSize + mnist.testSize <= 5000, field: "mnist.test_size",
                         value: "\(mnist.trainSize) + \(mnist.testSize)", "train_size + test_size must fit in MNIST-5k's 5000 images")
        try requireValid([1, 2, 4, 7].contains(mnist.pool), field: "mnist.pool", value: mnist.pool, "must divide 28 (1, 2, 4 or 7)")
        try requireValid(!mnist.stepSizes.isEmpty && mnist.stepSizes.allSatisfy { $0 > 0 } && mnist.stepSizes == mnist.stepSizes.sorted(),
                         field: "mnist.step_sizes", value: mnist.stepSizes, "must list positive step sizes in increasing order")
        try requireValid(!mnist.explicit.isEmpty, field: "mnist.explicit", value: mnist.explicit,
                         "must list at least one explicit run (its step_size and matched_step_size are the sweep's h_s and h_L)")
        for (i, e) in mnist.explicit.enumerated() {
            try requireValid(e.stepSize > 0 && e.matchedStepSize > e.stepSize, field: "mnist.explicit[\(i)]", value: e,
                             "needs 0 < step_size < matched_step_size")
        }
        try requireValid(mnist.stepSizes.contains(mnist.comparison.small) && mnist.stepSizes.contains(mnist.comparison.large),
                         field: "mnist.explicit[0]", value: mnist.explicit[0],
                         "step_size and matched_step_size must both be in mnist.step_sizes (the comparisons read those runs)")
        try requireValid(!mnist.seeds.isEmpty && Set(mnist.seeds).count == mnist.seeds.count, field: "mnist.seeds", value: mnist.seeds, "must list distinct seeds")
        try requireValid(mnist.stopTrainLoss > 0, field: "mnist.stop_train_loss", value: mnist.stopTrainLoss, "must be positive")
        try requireValid(mnist.maxTime > 0, field: "mnist.max_time", value: mnist.maxTime, "must be positive")
        try requireValid(mnist.recordInterval > 0, field: "mnist.record_interval", value: mnist.recordInterval, "must be positive")
        try requireValid(mnist.sharpnessInterval > 0, field: "mnist.sharpness_interval", value: mnist.sharpnessInterval, "must be positive")
        try requireValid(mnist.sharpnessIterations >= 1, field: "mnist.sharpness_iterations", value: mnist.sharpnessIterations, "must be at least 1")
        try requireValid(mnist.powerIterations >= 1, field: "mnist.power_iterations", value: mnist.powerIterations, "must be at least 1")
        try requireValid(!mnist.perturbationScales.isEmpty && mnist.perturbationScales.allSatisfy { $0 > 0 && $0.isFinite },
                         field: "mnist.perturbation_scales", value: mnist.perturbationScales, "must list positive relative scales")
        try requireValid(mnist.perturbationDraws >= 1, field: "mnist.perturbation_draws", value: mnist.perturbationDraws, "must be at least 1")
        for h in mnist.stepSizes + mnist.explicit.map(\.stepSize) {
            try requireSteps(mnist.maxTime / h, field: "mnist.max_time", value: mnist.maxTime, "mnist.max_time / step size \(h) steps")
        }
        for n in globalOrder.stepCounts + genericPath.globalStepCounts {
            try requireSteps(Double(n) * Double(globalOrder.substeps), field: "global_order.substeps", value: globalOrder.substeps, "step count \(n) × substeps")
        }
        try requireSteps(Double(localOrder.substeps), field: "local_order.substeps", value: localOrder.substeps, "substeps")
        try requireSteps(balance.flowTime / balance.flowStep, field: "balance.flow_time", value: balance.flowTime, "balance.flow_time / balance.flow_step steps")
        try requireSteps(Double(balance.maxSteps), field: "balance.max_steps", value: balance.maxSteps, "steps")
        try requireSteps(Double(mnist.powerIterations), field: "mnist.power_iterations", value: mnist.powerIterations, "iterations")
        try requireSteps(Double(mnist.perturbationDraws * mnist.perturbationScales.count), field: "mnist.perturbation_draws",
                         value: mnist.perturbationDraws, "perturbation draws × scales")
        try requireValid(mnist.hidden.allSatisfy { $0 >= 1 && $0 <= ConfigLimits.maxWidth }, field: "mnist.hidden", value: mnist.hidden,
                         "widths must be in 1…\(ConfigLimits.maxWidth)")
        try requireValid(genericPath.inputs >= 1 && genericPath.hidden.allSatisfy { $0 >= 1 } && genericPath.examples >= 1
                         && ([genericPath.inputs, genericPath.examples] + genericPath.hidden).allSatisfy { $0 <= ConfigLimits.maxWidth },
                         field: "generic_path", value: "\(genericPath.inputs)-\(genericPath.hidden)-1 on \(genericPath.examples)",
                         "needs positive widths and at least one example")
    }
}
