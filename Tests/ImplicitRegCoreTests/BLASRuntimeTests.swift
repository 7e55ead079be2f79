import ImplicitRegCore
import Testing

@Suite("BLAS runtime")
struct BLASRuntimeTests {
    @Test func aRecognisedKernelOnlyReplacesThePrescottFallbackTheUserDidNotChoose() {
        let avx512 = "processor\t: 0\nflags\t\t: fpu sse2 avx2 fma avx512f avx512bw avx512dq avx512vl avx512cd\n"
        let avx2 = "processor\t: 0\nflags\t\t: fpu sse2 avx2 fma\n"
        let sse = "processor\t: 0\nflags\t\t: fpu sse2 sse3\n"
        #expect(BLASRuntime.recognisedKernel(currentCore: "Prescott", environment: [:], cpuInfo: avx512) == "SkylakeX")
        #expect(BLASRuntime.recognisedKernel(currentCore: "Prescott", environment: [:], cpuInfo: avx2) == "Haswell")
        #expect(BLASRuntime.recognisedKernel(currentCore: "Prescott", environment: [:], cpuInfo: sse) == nil)
        #expect(BLASRuntime.recognisedKernel(currentCore: "Prescott", environment: [:], cpuInfo: nil) == nil)
        #expect(BLASRuntime.recognisedKernel(currentCore: "Prescott", environment: ["OPENBLAS_CORETYPE": "Prescott"], cpuInfo: avx512) == nil)
        #expect(BLASRuntime.recognisedKernel(currentCore: "Haswell", environment: [:], cpuInfo: avx512) == nil)
    }

    @Test func threadsCanBeSet() {
        BLASRuntime.setThreads(1)
        #expect(BLASRuntime.threads == 1)
        #expect(!BLASRuntime.configuration.isEmpty)
    }
}
