import CBLAS

/// Process-wide OpenBLAS settings and facts, for `--threads` and provenance.
public enum BLASRuntime {
    /// Sets the number of OpenBLAS threads. The suite defaults to 1: on a 2-vCPU machine a second
    /// thread slows every workload, and sgemm results differ bitwise between thread counts.
    public static func setThreads(_ n: Int) {
        openblas_set_num_threads(Int32(max(1, n)))
    }

    /// The current OpenBLAS thread count.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// OpenBLAS's build configuration string.
    public static var configuration: String { String(cString: openblas_get_config()) }

    /// The CPU kernel OpenBLAS selected ("Haswell", "SkylakeX", ...).
    public static var coreName: String { String(cString: openblas_get_corename()) }
}
