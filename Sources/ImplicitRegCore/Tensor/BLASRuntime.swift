import CBLAS
import Foundation

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
    /// The OpenBLAS kernel this CPU supports when OpenBLAS fell back to its generic Prescott (SSE3)
    /// kernels — OpenBLAS 0.3.21 cannot identify some virtualised CPUs — judged from the kernel's
    /// `/proc/cpuinfo` flags (which list only what the OS enables): "SkylakeX" with AVX-512,
    /// "Haswell" with AVX2 and FMA. Nil when OpenBLAS recognised the CPU or the user named a kernel
    /// in `OPENBLAS_CORETYPE` (any value, even empty, is respected).
    public static func recognisedKernel(currentCore: String, environment: [String: String], cpuInfo: String?) -> String? {
        guard currentCore == "Prescott", environment["OPENBLAS_CORETYPE"] == nil, let cpuInfo,
              let line = cpuInfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        let present = Set(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init))
        if ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"].allSatisfy(present.contains) { return "SkylakeX" }
        if ["avx2", "fma"].allSatisfy(present.contains) { return "Haswell" }
        return nil
    }

    /// Call first thing in `main`: if OpenBLAS fell back to Prescott on a CPU it did not recognise
    /// (see ``recognisedKernel(currentCore:environment:cpuInfo:)``), sets `OPENBLAS_CORETYPE` and
    /// re-executes the program — OpenBLAS reads the variable only when it loads — so matrix
    /// products run 4–5× faster. Provenance records the kernel; `OPENBLAS_CORETYPE=Prescott` keeps
    /// the fallback. Returns normally when nothing needs to change or the re-exec fails.
    public static func useRecognisedKernel() {
        #if os(Linux)
        guard let kernel = recognisedKernel(currentCore: coreName, environment: ProcessInfo.processInfo.environment,
                                            cpuInfo: try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))
        else { return }
        setenv("OPENBLAS_CORETYPE", kernel, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        unsetenv("OPENBLAS_CORETYPE")  // exec failed: carry on with the fallback kernels
        #endif
    }
}
