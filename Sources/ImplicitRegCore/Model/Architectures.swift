/// The elementwise nonlinearity σ between the layers of a network.
public enum Activation: String, Codable, Sendable, CaseIterable {
    /// σ(z) = max(z, 0).
    case relu
    /// σ(z) = tanh z.
    case tanh
    /// σ(z) = z (a linear network).
    case identity

    /// The activation layer over `size` features.
    public func layer<T: BLASScalar>(_ size: Int, as: T.Type = T.self) -> any Layer<T> {
        switch self {
        case .relu: ReLU<T>(size)
        case .tanh: Tanh<T>(size)
        case .identity: Identity<T>(size)
        }
    }
}

/// Builders for the networks the readings train: layer lists to hand to ``Sequential``.
public enum Architectures {
    /// A multilayer perceptron
    ///     f(x) = W_{L+1}·σ(W_L ⋯ σ(W_1·x + b_1) ⋯ + b_L) + b_{L+1}
    /// with one dense layer (with bias) per entry of `hidden`, each followed by `activation`, and a
    /// dense output layer of `output` units (no activation: the loss takes the logits).
    /// `hidden` may be empty (a linear model).
    public static func mlp<T: BLASScalar>(input: Int, hidden: [Int], output: Int,
                                          activation: Activation = .relu) -> [any Layer<T>] {
        precondition(input > 0 && output > 0 && hidden.allSatisfy { $0 > 0 }, "MLP widths must be positive")
        var layers: [any Layer<T>] = []
        var width = input
        for h in hidden {
            layers.append(Dense<T>(width, h))
            layers.append(activation.layer(h, as: T.self))
            width = h
        }
        layers.append(Dense<T>(width, output))
        return layers
    }

    /// The small CNN of the readings (two conv blocks and a two-layer classifier head):
    ///
    ///     conv 3×3 pad 1 (f₁) → ReLU → maxpool 2 → conv 3×3 pad 1 (f₂) → ReLU → maxpool 2
    ///     → dense (f₂·⌊H/4⌋·⌊W/4⌋ → hidden) → ReLU → dense (hidden → classes)
    ///
    /// Inputs are C×H×W images (channel-major rows); H and W must be divisible by 4
    /// (28×28 Fashion-MNIST gives 16×14×14 after the first block, 32×7×7 after the second).
    public static func smallCNN<T: BLASScalar>(channels: Int, height: Int, width: Int, classes: Int,
                                               filters: (Int, Int) = (16, 32), hidden: Int = 128) -> [any Layer<T>] {
        precondition(height % 4 == 0 && width % 4 == 0,
                     "the small CNN pools twice by 2: height and width must be divisible by 4, got \(height)×\(width)")
        precondition(classes > 0 && hidden > 0 && filters.0 > 0 && filters.1 > 0, "CNN widths must be positive")
        let (f1, f2) = filters
        let h2 = height / 2, w2 = width / 2
        let h4 = height / 4, w4 = width / 4
        return [
            Conv2D<T>(inputChannels: channels, height: height, width: width, outputChannels: f1, kernel: 3, padding: 1),
            ReLU<T>(f1 * height * width),
            MaxPool2D<T>(channels: f1, height: height, width: width, pool: 2),
            Conv2D<T>(inputChannels: f1, height: h2, width: w2, outputChannels: f2, kernel: 3, padding: 1),
            ReLU<T>(f2 * h2 * w2),
            MaxPool2D<T>(channels: f2, height: h2, width: w2, pool: 2),
            Dense<T>(f2 * h4 * w4, hidden),
            ReLU<T>(hidden),
            Dense<T>(hidden, classes),
        ]
    }

    /// A deep linear network f(x) = W_depth ⋯ W_2·W_1·x: `depth` bias-free dense layers of
    /// `dimension`×`dimension` with identity activations (which are omitted as layers: σ(z) = z
    /// needs no pass, so the network is just the product of the dense maps).
    public static func deepLinear<T: BLASScalar>(dimension: Int, depth: Int) -> [any Layer<T>] {
        precondition(dimension > 0 && depth > 0, "a deep linear network needs a positive dimension and depth")
        return (0..<depth).map { _ in Dense<T>(dimension, dimension, bias: false) }
    }
}
