import ImplicitRegCore
import Testing

@Suite("Enumeration")
struct EnumerationTests {
    @Test func permutationsAreAllDistinctOrderings() {
        let p = Enumeration.permutations(5)
        #expect(p.count == 120)
        #expect(Set(p).count == 120)
        #expect(p.allSatisfy { $0.sorted() == [0, 1, 2, 3, 4] })
        #expect(Enumeration.permutations(0) == [[]])
    }

    /// n! / ((B!)^m m!) partitions, each covering every element once, all distinct.
    @Test(arguments: [(6, 1, 1), (6, 2, 15), (6, 3, 10), (8, 2, 105), (8, 4, 35), (6, 6, 1)])
    func partitionsHaveTheRightCountAndCoverEveryElement(n: Int, b: Int, count: Int) {
        let parts = Enumeration.partitions(n, blockSize: b)
        #expect(parts.count == count)
        #expect(Set(parts).count == count)
        for p in parts {
            #expect(p.count == n / b && p.allSatisfy { $0.count == b })
            #expect(p.flatMap { $0 }.sorted() == Array(0..<n))
        }
    }

    @Test func combinationsCount() {
        #expect(Enumeration.combinations([0, 1, 2, 3, 4], 2).count == 10)
        #expect(Enumeration.combinations([0, 1], 3).isEmpty)
    }
}
