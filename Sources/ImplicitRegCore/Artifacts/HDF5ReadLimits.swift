/// Bounds on what ``HDF5Document/read(from:limits:)`` accepts, checked before anything is
/// allocated or read, so that a damaged or crafted file ends in an ``HDF5Error`` naming it, not in
/// an allocation of terabytes, a stack overflow or a read past a buffer.
///
/// The defaults are far above what the suite writes (the largest committed file is a few MB; a
/// summary holds a few thousand datasets, two levels of groups below `/curves`) and far below what
/// the machine holds.
public struct HDF5ReadLimits: Sendable, Equatable {
    /// Largest file read (bytes).
    public var maxFileBytes = 4 << 30
    /// Largest dataset, decoded (bytes).
    public var maxDatasetBytes = 1 << 30
    /// All datasets of one file together, decoded (bytes).
    public var maxTotalBytes = 2 << 30
    /// Highest dataset rank (HDF5 allows 32; the suite writes at most 2).
    public var maxRank = 8
    /// Deepest group nesting (a hard link to an ancestor would otherwise recurse forever).
    public var maxDepth = 32
    /// Objects (groups and datasets) visited in all.
    public var maxObjects = 1_000_000
    /// Longest link or attribute name (bytes).
    public var maxNameBytes = 4096
    /// Most values in one attribute, and longest fixed-length string attribute (bytes): HDF5's
    /// default file format keeps attributes in the object header, which holds at most 64 KiB.
    public var maxAttributeBytes = 1 << 16
    /// Longest variable-length string attribute (bytes): these live in the global heap, not the
    /// object header; the longest the suite writes, a resolved config, has a few kilobytes.
    public var maxStringBytes = 1 << 24
    /// How many times the decoded bytes of a dataset may exceed the bytes it occupies in the file:
    /// deflate expands at most 1032:1 (zlib's documented limit), shuffle not at all. A larger
    /// claim means a damaged header or an unwritten (fill-value) dataset this suite never makes.
    public var maxExpansion = 1032
    /// Slack for tiny datasets (scalars stored compactly in the object header).
    public var expansionSlack = 4096

    /// The defaults.
    public init() {}

    /// The defaults above.
    public static let standard = HDF5ReadLimits()
}
