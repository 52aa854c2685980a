public import LedgerCore

/// What `verify` found, on the wire.
public struct VerifyView: Codable, Sendable, Hashable {
    public let consistent: Bool
    public let transfersChecked: Int64
    public let accountsChecked: Int
    public let commitsChecked: Int64
    public let holdsOpen: Int
    public let head: String
    public let fault: String?

    public init(_ report: VerifyReport) {
        consistent = report.isClean
        transfersChecked = report.transfersChecked
        accountsChecked = report.accountsChecked
        commitsChecked = report.commitsChecked
        holdsOpen = report.holdsOpen
        head = report.head.hex
        fault = report.fault?.description
    }
}
