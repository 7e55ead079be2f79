import ImplicitRegCore

/// A data set the points to run need is missing or not the pinned version, found before any point
/// started: the message names the data set, the reading and what is wrong (with the remedy, e.g.
/// `make data`).
public struct DataSetError: Error, CustomStringConvertible {
    /// The reading whose points need it.
    public let reading: String
    /// The data set.
    public let dataSet: DataSetName
    /// How many of the points to run need it.
    public let points: Int
    /// What is wrong, from the data loader (a ``DataError``).
    public let reason: any Error

    public var description: String {
        "\(reading): the data set \(dataSet.rawValue), which \(points) of the points to run need, is not usable; nothing was run: \(reason)"
    }
}
