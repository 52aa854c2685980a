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
