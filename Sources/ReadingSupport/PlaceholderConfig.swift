/// The configuration of a reading that is not built yet: only a seed.
public struct PlaceholderConfig: ReadingConfig {
    public var seed: UInt64
    public func validate() throws {}
}
