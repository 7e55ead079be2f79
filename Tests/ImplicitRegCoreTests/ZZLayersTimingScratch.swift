// THROWAWAY (layers helper): timing of the small CNN; deleted right after the run.
import ImplicitRegCore
import Testing
import Foundation

@Suite struct LayersTimingScratch {
    @Test func cnnStep() {
        BLASRuntime.setThreads(1)
        let batch = 128
        let model = Sequential<Float>(Architectures.smallCNN(channels: 1, height: 28, width: 28, classes: 10),
                                      loss: SoftmaxCrossEntropy())
        var rng = RandomStreams(seed: 1).stream("t")
        model.initialize(Initializer(.he), using: &rng)
        let x = (0..<(batch * 784)).map { _ in Float(rng.nextUniform()) }
        let labels = (0..<batch).map { _ in Int32(rng.nextInt(below: 10)) }
        model.reserve(batch: batch)
        labels.withUnsafeBufferPointer { l in
            let t = TargetBatch<Float>(labels: l.baseAddress, values: nil)
            _ = model.lossAndGradient(x, targets: t, batch: batch)
            var times: [Double] = []
            for _ in 0..<30 {
                let t0 = DispatchTime.now().uptimeNanoseconds
                _ = model.lossAndGradient(x, targets: t, batch: batch)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            }
            times.sort()
            print("LAYERS-TIMING \(BLASRuntime.coreName) threads=\(BLASRuntime.threads): median \(times[15]) ms, min \(times[0]) ms")
        }
    }
}
