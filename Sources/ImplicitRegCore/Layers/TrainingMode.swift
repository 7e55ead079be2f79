/// A layer that behaves differently while training than while being evaluated (dropout).
///
/// Layers start in evaluation mode; ``Trainer`` switches its model to training mode for the
/// optimizer steps of an epoch and back before evaluating, through
/// ``Sequential/setTraining(_:)``. Layers that do not conform are the same in both modes.
public protocol TrainingModeLayer: AnyObject {
    /// True during optimizer steps, false for evaluation (the default).
    var isTraining: Bool { get set }
}

extension Sequential {
    /// Puts every mode-dependent layer in training (`true`) or evaluation (`false`) mode.
    public func setTraining(_ training: Bool) {
        for layer in layers {
            if let switchable = layer as? any TrainingModeLayer { switchable.isTraining = training }
        }
    }
}
