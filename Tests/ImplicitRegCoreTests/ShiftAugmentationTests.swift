import ImplicitRegCore
import Testing

/// Random ±s-pixel shifts: known answers on a small image, equivalence with shifting before
/// standardizing, and the Trainer hook.
@Suite("Shift augmentation")
struct ShiftAugmentationTests {
    /// The raw image shifted by (dx, dy) with zero padding: out[c, i, j] = x[c, i − dy, j − dx].
    private func shifted(_ x: [Float], channels: Int, height h: Int, width w: Int, dx: Int, dy: Int) -> [Float] {
        var out = [Float](repeating: 0, count: x.count)
        for c in 0..<channels {
            for i in 0..<h {
                for j in 0..<w where (0..<h).contains(i - dy) && (0..<w).contains(j - dx) {
                    out[(c * h + i) * w + j] = x[(c * h + i - dy) * w + j - dx]
                }
            }
        }
        return out
    }

    @Test func rawImagesMoveByTheDrawnOffsetsWithZeroPadding() {
        let shape = (channels: 2, height: 5, width: 4)
        let d = 40, batch = 6, s = 2
        let images: [Float] = (0..<(d * batch)).map { Float($0 % 37 + 1) }
        let augmentation = ShiftAugmentation<Float>(shape: shape, maxShift: s, rng: RandomStreams(seed: 7).stream("augmentation"))
        var x = images
        x.withUnsafeMutableBufferPointer { augmentation.apply($0.baseAddress!, batch: batch) }
        var rng = RandomStreams(seed: 7).stream("augmentation")
        var moved = 0
        for b in 0..<batch {
            let dx = rng.nextInt(below: 2 * s + 1) - s, dy = rng.nextInt(below: 2 * s + 1) - s
            if dx != 0 || dy != 0 { moved += 1 }
            let expected = shifted(Array(images[(b * d)..<((b + 1) * d)]), channels: 2, height: 5, width: 4, dx: dx, dy: dy)
            #expect(Array(x[(b * d)..<((b + 1) * d)]) == expected, "image \(b), shift (\(dx), \(dy))")
        }
        #expect(moved > 0)
    }

    @Test func zeroShiftIsTheIdentity() {
        let augmentation = ShiftAugmentation<Float>(shape: (1, 4, 4), maxShift: 0, rng: RandomStreams(seed: 1).stream("a"))
        let images: [Float] = (0..<48).map { Float($0) }
        var x = images
        x.withUnsafeMutableBufferPointer { augmentation.apply($0.baseAddress!, batch: 3) }
        #expect(x == images)
    }

    @Test func standardizedInputsShiftAsIfTheRawImageWasShiftedFirst() {
        let shape = (channels: 1, height: 6, width: 6)
        let d = 36, batch = 5
        var rng = RandomStreams(seed: 3).stream("test-images")
        let raw = Matrix<Float>(rows: batch, cols: d, storage: (0..<(d * batch)).map { _ in Float(rng.nextUniform()) })
        let data = Dataset(name: "tiny", inputs: raw, labels: [Int32](repeating: 0, count: batch), classCount: 1)
        let stats = data.featureMoments()
        let divisor = stats.sd.map { $0 + 1e-3 }
        // Path 1: standardize, then shift in standardized space.
        var z = data.standardized(mean: stats.mean, sd: stats.sd).inputs.storage
        ShiftAugmentation<Float>(shape: shape, maxShift: 2, mean: stats.mean, divisor: divisor,
                                 rng: RandomStreams(seed: 9).stream("augmentation"))
            .apply(&z, batch: batch)
        // Path 2: shift the raw images, then standardize.
        var shiftedRaw = raw.storage
        ShiftAugmentation<Float>(shape: shape, maxShift: 2, rng: RandomStreams(seed: 9).stream("augmentation"))
            .apply(&shiftedRaw, batch: batch)
        let expected = Dataset(name: "tiny", inputs: Matrix(rows: batch, cols: d, storage: shiftedRaw),
                               labels: [Int32](repeating: 0, count: batch), classCount: 1)
            .standardized(mean: stats.mean, sd: stats.sd).inputs.storage
        for i in z.indices { #expect(abs(z[i] - expected[i]) <= 1e-3 * max(1, abs(expected[i])), "value \(i)") }
    }

    @Test func trainerAppliesTheTransformToTrainingBatchesOnly() throws {
        let data = blobs(count: 90, seed: 11)
        let model = Sequential<Float>([Dense(10, 3)], loss: SoftmaxCrossEntropy())
        let options = TrainingOptions(epochs: 2, batchSize: 16, learningRate: 0.05)
        let trainer = Trainer(model: model, options: options, shuffle: RandomStreams(seed: 1).stream(.shuffle))
        var rows = 0
        trainer.batchTransform = { _, n in rows += n }
        _ = try trainer.train(data)
        #expect(rows == 2 * 90)
    }
}
