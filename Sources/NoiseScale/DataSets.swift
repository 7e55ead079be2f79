import ImplicitRegCore
import ReadingSupport

extension NoiseScale {
    /// The evidence points read MNIST-5k; a training point reads its sweep's data set.
    static func dataSets(for points: [PointSpec], config: Config) -> Set<DataSetName> {
        Set(points.map { point -> DataSetName in
            switch point {
            case .evidence: .mnist5k
            case let .training(t):
                switch t.dataset {
                case .mnist5k: .mnist5k
                case .fashionMNIST: .fashionMNIST
                }
            }
        })
    }
}
