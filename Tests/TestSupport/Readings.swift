/// The five readings, by executable name.
public enum Readings {
    public static let all = ["random-labels", "noise-scale", "minimum-norm", "gradient-regularization", "sgd-regularizer"]
}
