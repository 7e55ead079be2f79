// Elementwise kernels of the dropout layer (see `BLASScalar`'s performance rule: the loops live
// in protocol requirements so that Float and Double run specialized code).

extension BLASScalar {
    @inlinable
    public static func dropoutMask(_ mask: UnsafeMutablePointer<Self>, _ n: Int, keepProbability q: Double,
                                   using rng: inout Xoshiro256StarStar) {
        let scale = Self(1 / q)
        for i in 0..<n { mask[i] = rng.nextUniform() < q ? scale : 0 }
    }

    @inlinable
    public static func multiply(_ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>, _ z: UnsafeMutablePointer<Self>, _ n: Int) {
        for i in 0..<n { z[i] = x[i] * y[i] }
    }
}
