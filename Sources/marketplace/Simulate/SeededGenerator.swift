/// SplitMix64 (Steele, Lea and Flood, 2014): every draw of a simulation follows from its seed,
/// so a run repeats exactly. Draws go through `below(_:)` and its helpers rather than the
/// standard library's `random(in:using:)`, whose algorithm is not promised to stay the same
/// from one Swift release to the next.
struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// Uniform in 0..<bound, without modulo bias: draws at or above the largest multiple of
    /// `bound` are drawn again.
    mutating func below(_ bound: UInt64) -> UInt64 {
        precondition(bound > 0, "a draw from an empty range")
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let value = next()
            if value < limit { return value % bound }
        }
    }

    /// Uniform in `range`.
    mutating func int64(in range: ClosedRange<Int64>) -> Int64 {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int64(below(width))
    }

    /// Uniform index in 0..<count.
    mutating func index(below count: Int) -> Int { Int(below(UInt64(count))) }

    /// True `percent` times in a hundred.
    mutating func chance(_ percent: Int) -> Bool { below(100) < UInt64(percent) }

    /// One of `choices`, each as likely as its weight; a weight of 0 is never picked.
    mutating func pick<Choice>(_ choices: [(Choice, Int)]) -> Choice {
        let total = choices.reduce(0) { $0 + $1.1 }
        precondition(total > 0, "nothing to pick from")
        var draw = Int(below(UInt64(total)))
        for (choice, weight) in choices {
            if draw < weight { return choice }
            draw -= weight
        }
        preconditionFailure("the draw fell outside the weights")
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            withUnsafeBytes(of: next().littleEndian) { out.append(contentsOf: $0.prefix(count - out.count)) }
        }
        return out
    }
}
