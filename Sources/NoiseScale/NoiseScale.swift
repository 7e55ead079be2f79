import Foundation
import ImplicitRegCore
import ReadingSupport

/// Smith & Le 2018, A Bayesian Perspective on Generalization and SGD (arXiv 1710.06451).
enum NoiseScale: Reading {
    typealias Config = NoiseScaleConfig
    static let name = "noise-scale"
    static let abstract = """
        Smith & Le 2018, A Bayesian Perspective on Generalization and SGD (arXiv 1710.06451).
        Laplace evidence of logistic regression vs generalization; optimal batch size B_opt ∝ ε, 1/(1−m), N (noise scale g = εN/B(1−m)).
        """

    /// The evidence sweeps (seeds × sizes × labellings), then each batch-size sweep (seeds ×
    /// curves × B, leaving out B outside the sweep's g window).
    static func points(_ config: Config) -> [PointSpec] {
        var out: [PointSpec] = []
        let e = config.evidence
        for s in e.seeds {
            for n in e.trainSizes {
                for l in e.labelings { out.append(.evidence(EvidencePoint(labeling: l, trainSize: n, seed: config.seed &+ s))) }
            }
        }
        for sweep in config.sweeps {
            for s in sweep.seeds {
                for lr in sweep.learningRates {
                    for m in sweep.momenta {
                        for n in sweep.trainSizes {
                            for wd in sweep.weightDecays {
                                for b in sweep.batchSizes {
                                    let p = TrainingPoint(sweep: sweep.name, dataset: sweep.dataset, hidden: sweep.hidden,
                                                          epochs: sweep.epochs, learningRate: lr, momentum: m, trainSize: n,
                                                          weightDecay: wd, batchSize: b, seed: config.seed &+ s,
                                                          minUpdates: sweep.minimumUpdates(trainSize: n), evaluations: sweep.evaluations)
                                    if b <= n && p.noiseScale >= sweep.gMin && p.noiseScale <= sweep.gMax {
                                        out.append(.training(p))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    static func label(_ point: PointSpec) -> String { point.name }

    /// Every summary is per sweep and per curve, so the finished part of a long grid summarises on its own.
    static var mergesPartialGrids: Bool { true }

    static func seed(of point: PointSpec, config: Config) -> UInt64 { point.seed }

    /// Evidence: per λ about five Newton steps of 2Np² + p³ flops at ~38 GFLOP/s. Training:
    /// 6 flops per parameter per example and epoch at ~46 GFLOP/s, plus ~2.8 ns per parameter per
    /// update (the momentum step and small-batch gemm overhead). The rates are those of the
    /// committed full run (two points at a time on a 2-vCPU AMD EPYC, OpenBLAS Zen kernels): the
    /// median of estimate/took over its points of 10 s or more was 1 with these (`plan` prints it).
    static func estimatedCost(_ point: PointSpec, config: Config) -> Double {
        switch point {
        case let .evidence(e):
            let p = 785.0, n = Double(e.trainSize)
            return Double(config.evidence.lambdaCount) * 5 * (2 * n * p * p + p * p * p) / 3.8e10
        case let .training(t):
            return trainingCost(t)
        }
    }

    private static func trainingCost(_ t: TrainingPoint) -> Double {
        var inputs = 784, parameters = 0
        for h in t.hidden { parameters += inputs * h + h; inputs = h }
        parameters += inputs * 10 + 10
        let evaluated = Double(t.evaluations.map { min($0, t.epochsRun) } ?? 1) * Double(t.trainSize + 10_000)
        return (Double(t.epochsRun) * 6 * Double(t.trainSize) + 2 * evaluated) * Double(parameters) / 4.6e10
            + 2.8e-9 * Double(parameters) * Double(t.updates)
    }

    static func runPoint(_ point: PointSpec, config: Config, context: RunContext) throws -> HDF5Document {
        switch point {
        case let .evidence(e): try runEvidence(e, config: config, context: context)
        case let .training(t): try runTraining(t, config: config, context: context)
        }
    }

    /// The evidence curves under `/curves/<label>`, every run's numbers under
    /// `/runs/<sweep>/…`, and the scalars the claims read under `/summary`.
    static func merge(_ points: [(PointSpec, HDF5Document)], config: Config) throws -> HDF5Document {
        var summary = HDF5Document()
        var evidence: [(EvidencePoint, HDF5Document)] = []
        var runs: [(TrainingPoint, RunResult)] = []
        for (point, document) in points {
            switch point {
            case let .evidence(e):
                summary.merge(document, from: "/curves", into: "/curves/\(e.name)")
                evidence.append((e, document))
            case let .training(t):
                runs.append((t, try RunResult(point: t, document: document)))
            }
        }
        try EvidenceSummary.add(evidence, config: config.evidence, to: &summary)
        for sweep in config.sweeps {
            let members = runs.filter { $0.0.sweep == sweep.name }
            SweepSummary.add(members, sweep: sweep, to: &summary)
            ConvergedOptimum.add(members, sweep: sweep, seed: config.seed, to: &summary)
        }
        return summary
    }
}

/// What the merge needs from a training point's file.
struct RunResult {
    var testAccuracy: Double
    var trainLoss: Double
    var diverged: Bool
    /// Test accuracy's change over the last fifth of the run (NaN for runs evaluated once).
    var lastFifthChange: Double

    init(point: TrainingPoint, document: HDF5Document) throws {
        func value(_ name: String) throws -> Double {
            guard let v = document.scalar("/summary/\(name)") else { throw PointFileError.missingScalar(point: point.name, path: "/summary/\(name)") }
            return v
        }
        testAccuracy = try value("test_accuracy")
        trainLoss = try value("train_loss")
        diverged = try value("diverged") != 0
        lastFifthChange = document.scalar("/summary/test_accuracy_change_last_fifth") ?? .nan
    }
}


