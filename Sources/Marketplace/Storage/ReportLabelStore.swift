/// The names finance's reports put beside their figures, read only from the accounts side's
/// `users` table: a wallet is labelled with its owner's full name.
protocol ReportLabelStore {
    /// The full name of user `id`, nil when there is no such user or no name.
    func fullName(ofUser id: String) throws -> String?
}
