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

extension BLASRuntime {
    /// A hint when OpenBLAS fell back to its generic Prescott (SSE3) kernels on a CPU with AVX-512
    /// — OpenBLAS 0.3.21 cannot identify some virtualised CPUs — and the user has not chosen a
    /// kernel: naming one (`OPENBLAS_CORETYPE=SkylakeX`) makes sgemm several times faster.
    /// Nil when there is nothing to say.
    public static func kernelAdvice(environment: [String: String], cpuInfo: String?) -> String? {
        guard coreName == "Prescott", environment["OPENBLAS_CORETYPE"] == nil, let cpuInfo else { return nil }
        let flags = ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"]
        guard let line = cpuInfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        let present = Set(line.split(separator: " ").map(String.init))
        guard flags.allSatisfy(present.contains) else { return nil }
        return "note: OpenBLAS did not recognise this CPU and uses its generic Prescott kernels; the CPU has AVX-512, "
            + "so `export OPENBLAS_CORETYPE=SkylakeX` makes matrix products several times faster (results then differ in the last bits; /meta records the kernel)"
    }
}
