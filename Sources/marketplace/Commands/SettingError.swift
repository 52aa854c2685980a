/// A setting of `marketplace serve` that cannot be used, named as the operator wrote it (an
/// environment variable or a flag). Printed as one line, and the command exits non-zero.
struct SettingError: Error, CustomStringConvertible {
    /// The environment variable or flag, e.g. "PORT" or "--port".
    let setting: String
    let problem: String

    init(_ setting: String, _ problem: String) {
        self.setting = setting
        self.problem = problem
    }

    var description: String { "\(setting): \(problem)" }
}
