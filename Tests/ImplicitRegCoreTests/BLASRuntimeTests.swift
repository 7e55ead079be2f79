import ImplicitRegCore
import Testing

@Suite("BLAS runtime")
struct BLASRuntimeTests {
    @Test func kernelAdviceOnlyWhenUnsetAndTheCPUHasAVX512() {
        let avx512 = "processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f avx512bw avx512dq avx512vl avx512cd\n"
        let noAVX512 = "processor\t: 0\nflags\t\t: fpu sse2 avx2\n"
        #expect(BLASRuntime.kernelAdvice(environment: ["OPENBLAS_CORETYPE": "Haswell"], cpuInfo: avx512) == nil)
        #expect(BLASRuntime.kernelAdvice(environment: [:], cpuInfo: noAVX512) == nil)
        #expect(BLASRuntime.kernelAdvice(environment: [:], cpuInfo: nil) == nil)
        // Whether advice is given otherwise depends on the kernel OpenBLAS picked on this machine.
        let advice = BLASRuntime.kernelAdvice(environment: [:], cpuInfo: avx512)
        #expect((advice != nil) == (BLASRuntime.coreName == "Prescott"))
    }

    @Test func threadsCanBeSet() {
        BLASRuntime.setThreads(1)
        #expect(BLASRuntime.threads == 1)
        #expect(!BLASRuntime.configuration.isEmpty)
    }
}
