import Foundation
import Marketplace
import Testing

/// The command line as an operator meets it: one version everywhere, and a refusal that shows
/// the usage of the subcommand that refused, not the root's list of subcommands.
struct CommandLineTests {
    @Test func versionIsTheRelease() throws {
        let run = try CommandRunner.runKeepingErrorsApart(["--version"])
        #expect(run.status == 0)
        #expect(run.output.trimmingCharacters(in: .whitespacesAndNewlines) == ReleaseVersion.current)
    }

    /// Every environment setting the server's sources read is named by `serve --help`.
    @Test func serveHelpNamesEverySettingTheSourcesRead() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        var names: Set<String> = []
        let pattern = try Regex(#""((?:MARKETPLACE|STRIPE|BASE|OTEL)_[A-Z0-9_]+)""#)
        for case let file as URL in FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)! where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: pattern) { if let name = match.output[1].substring { names.insert(String(name)) } }
        }
        names.remove("MARKETPLACE_API_KEY")  // `marketplace mcp`'s, not the server's
        #expect(names.count > 30)
        let help = try CommandRunner.runKeepingErrorsApart(["serve", "--help"])
        for name in names.sorted() { #expect(help.output.contains(name + ":"), "serve --help does not name \(name)") }
    }

    @Test func aSubcommandsRefusalPrintsItsOwnUsage() throws {
        let missing = CommandRunner.temporaryPath("no-such") + ".sqlite"
        for (arguments, usage) in [(["ledger", "verify", "--db", missing], "Usage: marketplace ledger verify [--db <db>] [--json]"),
                                   (["restore", "--from", missing, "--db", missing], "Usage: marketplace restore [--db <db>] --from <from> [--replace]")] {
            let run = try CommandRunner.runKeepingErrorsApart(arguments)
            #expect(run.status == 64, "\(arguments)")
            #expect(run.errors.contains(usage), "\(run.errors)")
            #expect(!run.errors.contains("<subcommand>"), "\(run.errors)")
        }
    }
}
