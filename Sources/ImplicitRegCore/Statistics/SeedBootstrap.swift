/// The bootstrap over seeds: a statistic recomputed on `resamples` draws of the seeds with
/// replacement, its standard error the sample sd of those values. The draws come from a
/// ``Xoshiro256StarStar`` seeded by `seed`, so the same inputs give the same standard error.
public struct SeedBootstrap: Sendable, Equatable {
    /// The statistic on each resample that gave a finite value.
    public var values: [Double]
    /// Resamples whose statistic was not finite (e.g. a fit left with fewer than two points).
    public var undefined: Int

    /// `statistic` receives a multiset of seeds (as many as `seeds`, drawn with replacement).
    public init(seeds: [UInt64], resamples: Int = 1000, seed: UInt64, statistic: ([UInt64]) -> Double) {
        precondition(!seeds.isEmpty && resamples > 0, "the bootstrap needs seeds and at least one resample")
        var rng = Xoshiro256StarStar(seed: seed)
        var values: [Double] = [], undefined = 0
        values.reserveCapacity(resamples)
        for _ in 0..<resamples {
            let draw = (0..<seeds.count).map { _ in seeds[rng.nextInt(below: seeds.count)] }
            let v = statistic(draw)
            if v.isFinite { values.append(v) } else { undefined += 1 }
        }
        self.values = values
        self.undefined = undefined
    }

    /// Sample standard deviation of the resampled statistic (NaN with fewer than two finite values).
    public var standardError: Double { SeedStatistic(values).standardDeviation }
}

extension HDF5Document {
    /// An estimate with its bootstrap standard error as four scalars: `path`, `path_se`, and the
    /// 2-SE interval `path_lower`, `path_upper` that directional claims check.
    public mutating func addBootstrapEstimate(_ path: String, _ estimate: Double, _ bootstrap: SeedBootstrap,
                                              units: String, description: String) {
        let se = bootstrap.standardError
        addScalar(path, estimate, units: units, description: description)
        addScalar("\(path)_se", se, units: units,
                  description: "bootstrap standard error over seeds (\(bootstrap.values.count + bootstrap.undefined) resamples) of: \(description)")
        addScalar("\(path)_lower", estimate - 2 * se, units: units, description: "estimate − 2 SE of: \(description)")
        addScalar("\(path)_upper", estimate + 2 * se, units: units, description: "estimate + 2 SE of: \(description)")
    }
}
