import Foundation

/// A quantity measured once per seed, summarised: mean, sample standard deviation (n − 1), n, and
/// the standard error of the mean sd/√n. Directional claims are decided on mean ± k·SE.
public struct SeedStatistic: Sendable, Equatable {
    /// One value per seed, in seed order.
    public var values: [Double]

    public init(_ values: [Double]) { self.values = values }

    /// Number of seeds.
    public var n: Int { values.count }
    /// Seed mean (NaN for no seeds).
    public var mean: Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }
    /// Sample standard deviation with n − 1 in the denominator (NaN for fewer than 2 seeds).
    public var standardDeviation: Double {
        guard n >= 2 else { return .nan }
        let m = mean
        return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n - 1)).squareRoot()
    }
    /// Standard error of the mean, sd/√n (NaN for fewer than 2 seeds).
    public var standardError: Double { standardDeviation / Double(n).squareRoot() }

    /// "0.0123 ± 0.0045 SE (n = 5)".
    public var text: String {
        n >= 2 ? String(format: "%.4g ± %.2g SE (n = %d)", mean, standardError, n)
               : String(format: "%.4g (n = %d, no SE)", mean, n)
    }
}

extension HDF5Document {
    /// Adds a seed-statistics group at `path`: `values` (one per seed), `mean`, `sd`, `n` and `se`,
    /// each with units and a description, so h5py, xarray and the claims checks read the same numbers.
    public mutating func addSeedStatistic(_ path: String, _ statistic: SeedStatistic, units: String, description: String) {
        addDataset("\(path)/values", .double(statistic.values), units: units, description: "\(description), one value per seed")
        addScalar("\(path)/mean", statistic.mean, units: units, description: "\(description): seed mean")
        addScalar("\(path)/sd", statistic.standardDeviation, units: units, description: "\(description): sample standard deviation over seeds (n − 1)")
        addScalar("\(path)/n", Double(statistic.n), units: "seeds", description: "\(description): number of seeds")
        addScalar("\(path)/se", statistic.standardError, units: units, description: "\(description): standard error of the seed mean, sd/√n")
        setAttribute("description", .string(description), on: path)
    }

    /// The seed-statistics group at `path`, or nil when there is none.
    public func seedStatistic(_ path: String) -> SeedStatistic? {
        guard let values = datasets["\(path)/values"]?.values, scalar("\(path)/mean") != nil else { return nil }
        switch values {
        case let .double(v): return SeedStatistic(v)
        case let .float(v): return SeedStatistic(v.map(Double.init))
        case let .int32(v): return SeedStatistic(v.map(Double.init))
        case let .int64(v): return SeedStatistic(v.map(Double.init))
        }
    }
}
