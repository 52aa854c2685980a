import ArgumentParser

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks (build with -c release).",
        subcommands: [LedgerBench.self, APIBench.self, SignBench.self, LoginBench.self]
    )
}
