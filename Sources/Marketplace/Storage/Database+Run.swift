import GRDB

extension Database {
    /// Executes one statement through the connection's statement cache: compiled (and checked
    /// by GRDB's authorizer) once per connection, not on every request.
    func run(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
