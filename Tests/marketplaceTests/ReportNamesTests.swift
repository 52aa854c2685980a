import Marketplace
import Testing

/// The finance reports go by one name everywhere: every `ReportName` is a `marketplace report`
/// subcommand, and the CLI lists no report the enum does not know.
struct ReportNamesTests {
    @Test func everyReportNameIsACommandAndNoCommandIsUnnamed() throws {
        let (status, output) = try CommandRunner.run(["report", "--help"])
        #expect(status == 0)
        // Under SUBCOMMANDS:, a name is indented by two spaces; its wrapped help by more.
        let subcommands = output.split(separator: "\n").drop { !$0.hasPrefix("SUBCOMMANDS:") }.dropFirst()
            .prefix { !$0.hasPrefix("  See ") }
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(Set(subcommands) == Set(ReportName.allCases.map(\.rawValue) + ["html"]), "\(output)")
    }
}
