import Foundation
import ImplicitRegCore

/// The MNIST runs summarised over seeds: per step size mean, sd, SE and n of every measure
/// (`/curves/mnist-sweep`), the perturbation curves (`/curves/mnist-perturbation`), and the
/// per-seed comparisons the claims read (`/summary/mnist/by-seed`): h_L against h_s, and the
/// explicit term at h_s against both, with h_s and h_L the first explicit run's steps.
enum MNISTSummary {
    private struct Key: Hashable {
        var stepSize: Double
        var explicit: Bool
        var seed: UInt64
    }

    static func summarize(_ points: [(PointSpec, HDF5Document)], setup: MNISTSetup, into doc: inout HDF5Document) {
        var runs: [Key: (MNISTRun, HDF5Document)] = [:]
        for (point, d) in points {
            guard case let .mnist(run) = point, run.explicit == nil || run.explicit == setup.explicit[0] else { continue }
            runs[Key(stepSize: run.stepSize, explicit: run.explicit != nil, seed: run.seed)] = (run, d)
        }
        guard !runs.isEmpty else { return }
        let seeds = Array(Set(runs.keys.map(\.seed))).sorted()
        func value(_ h: Double, explicit: Bool = false, _ seed: UInt64, _ name: String) -> Double {
            guard let (run, d) = runs[Key(stepSize: h, explicit: explicit, seed: seed)] else { return .nan }
            return d.scalar("/summary/\(run.name)/\(name)") ?? .nan
        }
        func perturbation(_ h: Double, explicit: Bool = false, _ seed: UInt64) -> [Double] {
            guard let (run, d) = runs[Key(stepSize: h, explicit: explicit, seed: seed)],
                  case let .double(v)? = d.datasets["/curves/\(run.name)/perturbation/loss_increase"]?.values
            else { return setup.perturbationScales.map { _ in .nan } }
            return v
        }

        // Per step size: seed statistics of every measure.
        let sweep = "/curves/mnist-sweep"
        doc.addDataset("\(sweep)/step_size", .double(setup.stepSizes), units: "1", description: "GD step size h")
        let measures: [(String, String, String)] = [
            ("test_accuracy", "fraction", "final test accuracy"),
            ("train_accuracy", "fraction", "final training accuracy"),
            ("sharpness", "loss/parameter²", "final top Hessian eigenvalue λ_max"),
            ("h_lambda_max", "1", "largest h·λ_max along the run (stability limit 2)"),
            ("r_ig_final", "loss²/parameter²", "R_IG = (1/m)‖∇E‖² at the stop"),
            ("r_ig_mean", "loss²/parameter²", "R_IG averaged over the training time"),
            ("stop_time", "time (h·steps)", "training time h·steps at the stop"),
            ("converged", "1", "fraction of seeds whose run reached the stopping loss"),
        ]
        for (name, units, description) in measures {
            let stats = setup.stepSizes.map { h in SeedStatistic(seeds.map { value(h, $0, name) }) }
            doc.addDataset("\(sweep)/\(name)", .double(stats.map(\.mean)), units: units, description: "\(description): seed mean per step size")
            doc.addDataset("\(sweep)/\(name)_se", .double(stats.map(\.standardError)), units: units,
                           description: "\(description): standard error of the seed mean per step size")
            doc.addDataset("\(sweep)/\(name)_sd", .double(stats.map(\.standardDeviation)), units: units,
                           description: "\(description): standard deviation over seeds per step size")
            if name == "test_accuracy" {
                doc.addDataset("\(sweep)/n", .double(stats.map { Double($0.n) }), units: "seeds", description: "seeds per step size")
            }
        }

        // Perturbation curves of h_s, h_L and the explicit run.
        let (hs, hL) = setup.comparison
        for (tag, h, explicit) in [("h-small", hs, false), ("h-large", hL, false), ("explicit", hs, true)] {
            let g = "/curves/mnist-perturbation/\(tag)"
            let perSeed = seeds.map { perturbation(h, explicit: explicit, $0) }
            let stats = setup.perturbationScales.indices.map { i in SeedStatistic(perSeed.map { $0[i] }) }
            doc.addDataset("\(g)/scale", .double(setup.perturbationScales), units: "1", description: "relative perturbation scale σ")
            doc.addDataset("\(g)/loss_increase", .double(stats.map(\.mean)), units: "nats",
                           description: "training-loss increase under perturbation, seed mean (h = \(h)\(explicit ? ", explicit μ = \(setup.explicit[0].coefficient)" : ""))")
            doc.addDataset("\(g)/loss_increase_se", .double(stats.map(\.standardError)), units: "nats", description: "its standard error over seeds")
            doc.setAttribute("step_size", .double(h), on: g)
            doc.setDimensionScale("\(g)/scale")
        }

        // Per-seed comparisons.
        let s = "/summary/mnist"
        func statistic(_ name: String, _ values: [Double], _ units: String, _ description: String) {
            doc.addSeedStatistic("\(s)/by-seed/\(name)", SeedStatistic(values), units: units, description: description)
        }
        let small = { (seed: UInt64, n: String) in value(hs, seed, n) }
        let large = { (seed: UInt64, n: String) in value(hL, seed, n) }
        let egr = { (seed: UInt64, n: String) in value(hs, explicit: true, seed, n) }
        /// Per seed (a − b)/a of measure `name` between two runs.
        func relativeDrop(_ name: String, from a: (UInt64, String) -> Double, to b: (UInt64, String) -> Double) -> [Double] {
            seeds.map { (a($0, name) - b($0, name)) / a($0, name) }
        }
        let pair = "h_s = \(hs), h_L = \(hL)"
        statistic("test_accuracy_gain", seeds.map { large($0, "test_accuracy") - small($0, "test_accuracy") }, "fraction",
                  "test accuracy(h_L) − test accuracy(h_s), both at the stopping loss (\(pair))")
        statistic("sharpness_drop", relativeDrop("sharpness", from: small, to: large), "1",
                  "(λ_max(h_s) − λ_max(h_L)) / λ_max(h_s) at the stopping loss (\(pair))")
        statistic("r_ig_final_drop", relativeDrop("r_ig_final", from: small, to: large), "1",
                  "(R_IG(h_s) − R_IG(h_L)) / R_IG(h_s) at the stopping loss (\(pair))")
        statistic("egr_test_accuracy_gain", seeds.map { egr($0, "test_accuracy") - small($0, "test_accuracy") }, "fraction",
                  "test accuracy with the explicit term − without, both at h_s (\(pair), μ = (h_L − h_s)/4)")
        statistic("egr_minus_large_test_accuracy", seeds.map { egr($0, "test_accuracy") - large($0, "test_accuracy") }, "fraction",
                  "test accuracy with the explicit term at h_s − GD at h_L (\(pair))")
        statistic("egr_sharpness_drop", relativeDrop("sharpness", from: small, to: egr), "1",
                  "(λ_max(h_s) − λ_max(h_s with the explicit term)) / λ_max(h_s)")
        statistic("egr_r_ig_final_drop", relativeDrop("r_ig_final", from: small, to: egr), "1",
                  "(R_IG(h_s) − R_IG(h_s with the explicit term)) / R_IG(h_s) at the stopping loss")
        for (name, label) in [("sharpness", "λ_max"), ("r_ig_final", "R_IG at the stop")] {
            statistic("egr_\(name)_gap_closed", seeds.map { (small($0, name) - egr($0, name)) / (small($0, name) - large($0, name)) }, "1",
                      "fraction of the \(label) gap between GD at h_s and at h_L that the explicit term at h_s closes (\(pair), μ = (h_L − h_s)/4)")
        }
        // Trends over the whole sweep: per seed, the least-squares slope against ln h.
        let lnH = setup.stepSizes.map { log($0) }
        func slope(_ ys: [Double]) -> Double {
            let mx = lnH.reduce(0, +) / Double(lnH.count), my = ys.reduce(0, +) / Double(ys.count)
            let sxy = zip(lnH, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
            return sxy / lnH.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        }
        if setup.stepSizes.count >= 2 {
            statistic("test_accuracy_slope", seeds.map { seed in slope(setup.stepSizes.map { value($0, seed, "test_accuracy") }) }, "fraction",
                      "least-squares slope of test accuracy on ln h over the sweep")
            statistic("log_sharpness_slope", seeds.map { seed in slope(setup.stepSizes.map { log(value($0, seed, "sharpness")) }) }, "1",
                      "least-squares slope of ln λ_max on ln h over the sweep")
        }
        for (i, σ) in setup.perturbationScales.enumerated() {
            let tag = String(format: "%g", σ)
            statistic("perturbation_log_ratio_\(tag)", seeds.map { log(perturbation(hL, $0)[i] / perturbation(hs, $0)[i]) }, "1",
                      "ln(loss increase(h_L) / loss increase(h_s)) under perturbations of relative scale σ = \(tag) (\(pair))")
            statistic("egr_perturbation_log_ratio_\(tag)", seeds.map { log(perturbation(hs, explicit: true, $0)[i] / perturbation(hs, $0)[i]) }, "1",
                      "ln(loss increase(h_s with the explicit term) / loss increase(h_s)) at σ = \(tag)")
        }
        // Controls: the regime (how close h_L came to the stability limit), convergence, divergence.
        statistic("h_large_lambda_max", seeds.map { large($0, "h_lambda_max") }, "1",
                  "largest h_L·λ_max along the run at h_L (stability limit 2)")
        let every = runs.values.map { $0.1 }
        let names = runs.values.map { $0.0.name }
        let converged = zip(every, names).map { $0.scalar("/summary/\($1)/converged") ?? 0 }
        let diverged = zip(every, names).map { $0.scalar("/summary/\($1)/diverged") ?? 0 }
        doc.addScalar("\(s)/converged_fraction", converged.reduce(0, +) / Double(converged.count), units: "fraction",
                      description: "fraction of the MNIST runs (every h, the explicit run, every seed) that reached mnist.stop_train_loss before mnist.max_time")
        doc.addScalar("\(s)/diverged_count", diverged.reduce(0, +), units: "runs", description: "MNIST runs whose loss became NaN or infinite")
        let regime = seeds.map { large($0, "h_lambda_max") }
        doc.addScalar("\(s)/h_large_lambda_max_min", regime.min() ?? .nan, units: "1",
                      description: "smallest over seeds of the largest h_L·λ_max along the run at h_L")
        doc.addScalar("\(s)/seeds", Double(seeds.count), units: "seeds", description: "seeds (each its own training subset and initialisation)")
    }
}
