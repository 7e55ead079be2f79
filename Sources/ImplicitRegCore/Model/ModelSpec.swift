/// A model described in a config: an MLP or the small CNN, with its widths.
public struct ModelSpec: Sendable, Codable, Equatable {
    /// The family.
    public enum Kind: String, Sendable, Codable, CaseIterable { case mlp, cnn }
    /// Name used in artifact paths ("mlp-1x512").
    public var name: String
    /// MLP or CNN.
    public var kind: Kind
    /// Hidden widths (MLP: one per hidden layer; CNN: the dense layer's width, one entry).
    public var hidden: [Int]
    /// CNN only: filters of the two convolution blocks.
    public var filters: [Int]
    /// Hidden activation.
    public var activation: Activation

    /// A model description.
    public init(name: String, kind: Kind, hidden: [Int], filters: [Int] = [], activation: Activation = .relu) {
        self.name = name
        self.kind = kind
        self.hidden = hidden
        self.filters = filters
        self.activation = activation
    }

    /// The layers for inputs of `shape` and `classes` outputs.
    public func layers<T: BLASScalar>(shape: (channels: Int, height: Int, width: Int), classes: Int,
                                      as: T.Type = T.self) -> [any Layer<T>] {
        switch kind {
        case .mlp:
            return Architectures.mlp(input: shape.channels * shape.height * shape.width, hidden: hidden,
                                     output: classes, activation: activation)
        case .cnn:
            return Architectures.smallCNN(channels: shape.channels, height: shape.height, width: shape.width,
                                          classes: classes, filters: (filters[0], filters[1]), hidden: hidden[0])
        }
    }

    /// Checks the description, naming fields under `field`.
    public func validate(field: String) throws {
        try requireValid(!name.isEmpty && !name.contains("/"), field: "\(field).name", value: name, "must be non-empty without '/'")
        try requireValid(hidden.allSatisfy { $0 > 0 && $0 <= ConfigLimits.maxWidth }, field: "\(field).hidden", value: hidden,
                         "widths must be in 1…\(ConfigLimits.maxWidth)")
        if kind == .cnn {
            try requireValid(hidden.count == 1, field: "\(field).hidden", value: hidden, "a CNN takes one dense width")
            try requireValid(filters.count == 2 && filters.allSatisfy { $0 > 0 }, field: "\(field).filters", value: filters,
                             "a CNN takes two positive filter counts")
        }
    }
}
