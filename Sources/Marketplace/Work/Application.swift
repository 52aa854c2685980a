/// A human's application to do a task.
public struct TaskApplication: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable { case pending, accepted, rejected }

    public let id: String
    public let taskID: String
    public let applicantID: String
    public let message: String
    public var status: Status
    public let createdAt: Int64

    public static let messageLengthMax = 5_000
}

/// What a worker hands in.
public struct Submission: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case submitted
        case approved
        case revisionRequested = "revision_requested"
        /// The owner refused it with a reason.
        case rejected
        /// Another entry won the bounty.
        case declined
    }

    /// One deliverable: its kind and its content (text, or a URL / file reference).
    public struct Item: Sendable, Hashable, Codable {
        public let kind: Deliverable
        public let value: String

        public init(kind: Deliverable, value: String) {
            self.kind = kind
            self.value = value
        }
    }

    public let id: String
    public let taskID: String
    public let workerID: String
    public let deliverables: [Item]
    public let note: String?
    public var status: Status
    public var feedback: String?
    public let createdAt: Int64
    /// The proof score (0-100) the verifier gave it, and why.
    public var score: Int?
    public var scoreNotes: [String] = []

    public static let deliverablesMax = 20
    public static let valueLengthMax = 5_000
    /// A rejection must say why in at least this many characters.
    public static let rejectionReasonLengthMin = 50
}
