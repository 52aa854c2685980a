import Foundation
import Testing

/// docs/deploy as an operator installs it: the systemd units parse (`systemd-analyze verify`
/// where systemd is installed, and everywhere against the sections and keys they may use), the
/// nginx configuration parses (`nginx -t` where nginx is installed, and everywhere its blocks,
/// statements and directives), and the files agree with each other and with the server: the
/// port, the trusted proxy, the forwarded header, the backup timer's unit.
struct DeploymentFilesTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/deploy")
    static let units = ["marketplace.service", "marketplace-backup.service", "marketplace-backup.timer"]

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func theUnitsUseOnlyKnownSectionsAndKeysAndSayWhatTheServerNeeds() throws {
        for name in Self.units { #expect(UnitFile.problems(in: try Self.text(name), name: name) == [], "\(name)") }
        let server = try UnitFile(parsing: try Self.text("marketplace.service"))
        let start = try #require(server.values("Service", "ExecStart").first)
        #expect(start.contains("/usr/local/bin/marketplace serve --db /var/lib/marketplace/"))
        #expect(server.values("Service", "EnvironmentFile") == ["/etc/marketplace/marketplace.env"])
        #expect(server.values("Service", "Restart") == ["on-failure"])
        #expect(server.values("Service", "KillSignal") == ["SIGTERM"])
        #expect(server.values("Service", "TimeoutStopSec").count == 1)
        #expect(server.values("Service", "NoNewPrivileges") == ["yes"])
        #expect(server.values("Service", "ProtectSystem") == ["strict"])
        let timer = try UnitFile(parsing: try Self.text("marketplace-backup.timer"))
        #expect(timer.values("Timer", "Unit") == ["marketplace-backup.service"])
        #expect(timer.values("Timer", "OnCalendar") == ["hourly"])
        let backup = try UnitFile(parsing: try Self.text("marketplace-backup.service"))
        #expect(backup.values("Service", "Type") == ["oneshot"])
        #expect(backup.values("Service", "ExecStart").first?.contains("/usr/local/bin/marketplace backup --db /var/lib/marketplace/marketplace.sqlite --out ") == true)
        #expect(start.contains("--db /var/lib/marketplace/marketplace.sqlite "))
    }

    /// A unit with a misspelt key, a bad section header or a key in the wrong section is refused.
    @Test func aBrokenUnitIsRefused() throws {
        let good = try Self.text("marketplace.service")
        for broken in [good.replacingOccurrences(of: "Restart=on-failure", with: "Restrat=on-failure"),
                       good.replacingOccurrences(of: "[Service]", with: "[Service"),
                       good.replacingOccurrences(of: "[Install]\n", with: "[Install]\nRestart=always\n"),
                       good.replacingOccurrences(of: "KillSignal=SIGTERM", with: "KillSignal SIGTERM")] {
            #expect(UnitFile.problems(in: broken, name: "marketplace.service") != [])
            if let verdict = try Self.systemdVerify(["marketplace.service": broken]) { #expect(!verdict.clean, "\(verdict.output)") }
        }
    }

    @Test func systemdAnalyzeVerifiesTheUnitsWhereSystemdIsInstalled() throws {
        var files: [String: String] = [:]
        for name in Self.units { files[name] = try Self.text(name) }
        guard let verdict = try Self.systemdVerify(files) else { return }  // no systemd-analyze: the parse above stands alone
        #expect(verdict.clean, "\(verdict.output)")
    }

    @Test func theProxyConfigurationParsesAndForwardsWhatTheServerTrusts() throws {
        let text = try Self.text("nginx.conf")
        let config = try NginxConfig(parsing: text)
        #expect(config.problems == [])
        #expect(config.statements(["http", "upstream marketplace"]).filter { $0.hasPrefix("server ") } == ["server 127.0.0.1:8080"])
        let server = try UnitFile(parsing: try Self.text("marketplace.service"))
        #expect(server.values("Service", "ExecStart").first?.contains("--host 127.0.0.1 --port 8080") == true)
        let tls = ["http", "server"]
        #expect(config.statements(tls).contains("listen 443 ssl http2"))
        #expect(config.statements(tls).contains { $0.hasPrefix("ssl_certificate ") })
        #expect(config.statements(tls).contains { $0.hasPrefix("return 301 https://") })
        let proxied = config.statements(["http", "server", "location /"])
        #expect(proxied.contains("proxy_pass http://marketplace"))
        #expect(proxied.contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for"))
        // nginx connects from 127.0.0.1: the server must trust that address's X-Forwarded-For.
        let environment = try Self.text("marketplace.env.example")
        #expect(environment.split(separator: "\n").contains("MARKETPLACE_TRUSTED_PROXIES=127.0.0.1"))
        if let verdict = try Self.nginxTest(text) { #expect(verdict.clean, "\(verdict.output)") }
    }

    @Test func aBrokenProxyConfigurationIsRefused() throws {
        let good = try Self.text("nginx.conf")
        for broken in [good.replacingOccurrences(of: "proxy_http_version 1.1;", with: "proxy_http_version 1.1"),
                       good.replacingOccurrences(of: "keepalive 32;\n    }", with: "keepalive 32;\n"),
                       good.replacingOccurrences(of: "proxy_read_timeout", with: "proxy_reed_timeout")] {
            let parsed = try? NginxConfig(parsing: broken)
            #expect(parsed == nil || parsed?.problems != [])
            if let verdict = try Self.nginxTest(broken) { #expect(!verdict.clean, "\(verdict.output)") }
        }
    }

    struct Verdict {
        let clean: Bool
        let output: String
    }

    /// `systemd-analyze verify` on copies of `files` whose ExecStart names the built binary (it
    /// checks that the program exists); clean: exit 0 and nothing said. Nil without systemd-analyze.
    static func systemdVerify(_ files: [String: String]) throws -> Verdict? {
        guard let tool = Self.installed("systemd-analyze") else { return nil }
        let directory = CommandRunner.temporaryPath("units")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var paths: [String] = []
        for (name, text) in files {
            let path = directory + "/" + name
            try text.replacingOccurrences(of: "/usr/local/bin/marketplace", with: CommandRunner.binary.path).write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        let run = try Self.run(tool, ["verify"] + paths.sorted())
        return Verdict(clean: run.status == 0 && run.output.isEmpty, output: run.output)
    }

    /// `nginx -t` on a copy whose certificate is a fresh self-signed one; clean: the syntax is ok.
    /// Nil without nginx or openssl.
    static func nginxTest(_ text: String) throws -> Verdict? {
        guard let nginx = Self.installed("nginx"), let openssl = Self.installed("openssl") else { return nil }
        let prefix = CommandRunner.temporaryPath("nginx")
        try FileManager.default.createDirectory(atPath: prefix + "/logs", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        _ = try Self.run(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=api.example.com",
                                   "-keyout", prefix + "/key.pem", "-out", prefix + "/cert.pem"])
        let copy = text.replacingOccurrences(of: "/etc/letsencrypt/live/api.example.com/fullchain.pem", with: prefix + "/cert.pem")
            .replacingOccurrences(of: "/etc/letsencrypt/live/api.example.com/privkey.pem", with: prefix + "/key.pem")
            .replacingOccurrences(of: "pid /run/nginx.pid;", with: "pid \(prefix)/nginx.pid;")
        try copy.write(toFile: prefix + "/nginx.conf", atomically: true, encoding: .utf8)
        let run = try Self.run(nginx, ["-t", "-p", prefix, "-c", prefix + "/nginx.conf", "-g", "error_log \(prefix)/logs/error.log;"])
        // The temporary directories nginx was built with may be missing here: only the parse is judged.
        return Verdict(clean: run.output.contains("syntax is ok"), output: run.output)
    }

    static func installed(_ tool: String) -> String? {
        ["/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/", "/usr/local/bin/", "/usr/local/sbin/"].map { $0 + tool }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// A systemd unit file as systemd reads it: `[Section]` headers and `Key=Value` lines, `#` and
/// `;` comments, keys checked against the ones each section takes (the subset these units use,
/// from systemd.unit(5), systemd.service(5), systemd.exec(5), systemd.kill(5), systemd.timer(5)).
struct UnitFile {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    static let execKeys: Set<String> = [
        "User", "Group", "EnvironmentFile", "Environment", "UMask", "LimitNOFILE", "StateDirectory", "StateDirectoryMode",
        "NoNewPrivileges", "CapabilityBoundingSet", "AmbientCapabilities", "ProtectSystem", "ProtectHome", "PrivateTmp",
        "PrivateDevices", "PrivateNetwork", "ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs",
        "ProtectControlGroups", "ProtectClock", "ProtectHostname", "ProtectProc", "RestrictAddressFamilies", "RestrictNamespaces",
        "RestrictRealtime", "RestrictSUIDSGID", "LockPersonality", "MemoryDenyWriteExecute", "SystemCallArchitectures",
        "SystemCallFilter", "ReadWritePaths", "ReadOnlyPaths", "WorkingDirectory",
    ]
    static let sections: [String: Set<String>] = [
        "Unit": ["Description", "Documentation", "Wants", "Requires", "After", "Before"],
        "Service": execKeys.union(["Type", "ExecStart", "ExecStartPre", "ExecReload", "Restart", "RestartSec", "KillSignal", "KillMode",
                                   "TimeoutStopSec", "TimeoutStartSec"]),
        "Timer": ["OnCalendar", "OnBootSec", "OnUnitActiveSec", "RandomizedDelaySec", "Persistent", "Unit", "AccuracySec"],
        "Install": ["WantedBy", "RequiredBy", "Alias"],
    ]
    static let restartValues: Set<String> = ["no", "on-success", "on-failure", "on-abnormal", "on-watchdog", "on-abort", "always"]

    /// (section, key, value) in file order.
    let entries: [(section: String, key: String, value: String)]

    init(parsing text: String) throws {
        var section: String?
        var entries: [(String, String, String)] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else { throw Malformed(description: "line \(index + 1): a bad section header: \(line)") }
                section = String(line.dropFirst().dropLast())
                continue
            }
            guard let section else { throw Malformed(description: "line \(index + 1): a setting before any section") }
            guard let equals = line.firstIndex(of: "=") else { throw Malformed(description: "line \(index + 1): not Key=Value: \(line)") }
            entries.append((section, line[..<equals].trimmingCharacters(in: .whitespaces), line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)))
        }
        self.entries = entries
    }

    func values(_ section: String, _ key: String) -> [String] {
        entries.filter { $0.section == section && $0.key == key }.map(\.value)
    }

    /// What is wrong with the unit `name`: unparsable lines, sections its type does not have,
    /// unknown keys, a Restart= value systemd does not take.
    static func problems(in text: String, name: String) -> [String] {
        let unit: UnitFile
        do { unit = try UnitFile(parsing: text) } catch { return ["\(error)"] }
        let allowed: Set<String> = name.hasSuffix(".timer") ? ["Unit", "Timer", "Install"] : ["Unit", "Service", "Install"]
        var problems: [String] = []
        for entry in unit.entries {
            if !allowed.contains(entry.section) { problems.append("[\(entry.section)] is no section of a \(name.split(separator: ".").last ?? "") unit") }
            else if !(sections[entry.section] ?? []).contains(entry.key) { problems.append("[\(entry.section)] has no key \(entry.key)") }
            if entry.key == "Restart", !restartValues.contains(entry.value) { problems.append("Restart=\(entry.value)") }
        }
        return problems
    }
}

/// An nginx configuration's structure: statements ending in `;`, blocks in balanced braces,
/// `#` comments, quoted strings; each directive checked against the ones this file may use.
struct NginxConfig {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    /// The directives this file may use, with how many arguments each takes (nginx's docs).
    static let directives: [String: ClosedRange<Int>] = [
        "worker_processes": 1...1, "pid": 1...1, "events": 0...0, "worker_connections": 1...1, "http": 0...0, "default_type": 1...1,
        "server_tokens": 1...1, "client_max_body_size": 1...1, "upstream": 1...1, "server": 0...4, "keepalive": 1...1, "listen": 1...4,
        "server_name": 1...8, "return": 1...2, "ssl_certificate": 1...1, "ssl_certificate_key": 1...1, "ssl_protocols": 1...4,
        "ssl_prefer_server_ciphers": 1...1, "ssl_session_cache": 1...2, "ssl_session_timeout": 1...1, "add_header": 2...3,
        "location": 1...2, "proxy_pass": 1...1, "proxy_http_version": 1...1, "proxy_set_header": 2...2, "proxy_buffering": 1...1,
        "proxy_read_timeout": 1...1, "proxy_send_timeout": 1...1,
    ]

    /// Each statement (its words joined by one space) with the blocks it sits in, outermost first
    /// (a block is named by its opening words: `http`, `location /`).
    let statements: [(blocks: [String], text: String)]
    /// Directives not in the list, or with a number of arguments they do not take.
    let problems: [String]

    init(parsing text: String) throws {
        var statements: [([String], String)] = []
        var blocks: [String] = []
        var words: [String] = []
        var word = ""
        var quote: Character?
        var comment = false
        for character in text {
            if comment { if character == "\n" { comment = false }; continue }
            if let open = quote {
                word.append(character)
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "#": comment = true
            case "\"", "'": quote = character; word.append(character)
            case " ", "\t", "\n", "\r":
                if !word.isEmpty { words.append(word); word = "" }
            case ";", "{", "}":
                if !word.isEmpty { words.append(word); word = "" }
                if character == ";" {
                    guard !words.isEmpty else { throw Malformed(description: "an empty statement") }
                    statements.append((blocks, words.joined(separator: " ")))
                } else if character == "{" {
                    guard !words.isEmpty else { throw Malformed(description: "a block without a name") }
                    statements.append((blocks, words.joined(separator: " ")))
                    blocks.append(words.joined(separator: " "))
                } else {
                    guard words.isEmpty else { throw Malformed(description: "'\(words.joined(separator: " "))' has no ';' before '}'") }
                    guard !blocks.isEmpty else { throw Malformed(description: "a '}' closes no block") }
                    blocks.removeLast()
                }
                words = []
            default: word.append(character)
            }
        }
        if !word.isEmpty { words.append(word) }
        guard words.isEmpty else { throw Malformed(description: "'\(words.joined(separator: " "))' has no ';'") }
        guard blocks.isEmpty, quote == nil else { throw Malformed(description: "\(blocks.count) block(s) not closed") }
        self.statements = statements
        problems = statements.compactMap { _, text in
            let words = text.split(separator: " ")
            guard let arity = Self.directives[String(words[0])] else { return "unknown directive \(words[0])" }
            return arity.contains(words.count - 1) ? nil : "\(words[0]) takes \(arity) arguments: \(text)"
        }
    }

    /// The statements directly inside the blocks named `path` (outermost first; every block of
    /// that path, e.g. both `server` blocks of `http`).
    func statements(_ path: [String]) -> [String] {
        statements.filter { $0.blocks == path }.map(\.text)
    }
}
