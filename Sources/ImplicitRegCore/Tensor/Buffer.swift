/// A fixed-address, growable block of scalars: the storage of parameters, gradients and the
/// per-layer workspaces of a model. Unlike `Array` it never copies on write and never moves
/// unless it has to grow, so a training step after the first allocates nothing.
public final class Buffer<T: BLASScalar>: @unchecked Sendable {
    /// Start of the storage; stable until ``reserve(_:)`` grows it.
    public private(set) var pointer: UnsafeMutablePointer<T>
    /// Number of elements that fit.
    public private(set) var capacity: Int

    /// A zero-filled buffer of `capacity` elements.
    public init(capacity: Int = 0) {
        self.capacity = capacity
        pointer = .allocate(capacity: max(capacity, 1))
        pointer.initialize(repeating: 0, count: max(capacity, 1))
    }

    /// A buffer holding a copy of `values`.
    public convenience init(_ values: [T]) {
        self.init(capacity: values.count)
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit { pointer.deallocate() }

    /// Makes room for `count` elements (contents are not kept when it grows; new space is zero).
    public func reserve(_ count: Int) {
        guard count > capacity else { return }
        pointer.deallocate()
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: 0, count: count)
        capacity = count
    }

    /// The first `count` elements as an array (copies).
    public func array(count: Int? = nil) -> [T] {
        Array(UnsafeBufferPointer(start: pointer, count: count ?? capacity))
    }

    /// Read-only view of the first `count` elements.
    public func view(_ count: Int? = nil) -> UnsafeBufferPointer<T> {
        UnsafeBufferPointer(start: pointer, count: count ?? capacity)
    }
}
