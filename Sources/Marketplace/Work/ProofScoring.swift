/// A submission's score from 0 to 100 and why.
public struct ProofScore: Sendable, Hashable {
    public let value: Int
    public let notes: [String]

    /// At or above this, a task with auto-approve is approved at once.
    public static let autoApproveMin = 90
    /// Below this, a task with auto-reject rejects the submission at once.
    public static let autoRejectBelow = 50

    public init(value: Int, notes: [String]) {
        self.value = min(100, max(0, value))
        self.notes = notes
    }
}

/// What a verifier scores: a submission about to be recorded, and the task it is for.
public struct SubmittedProof: Sendable, Hashable {
    /// The id the submission is recorded under once scored.
    public let submissionID: String
    public let taskID: String
    public let workerID: String
    public let deliverables: [Submission.Item]
    public let note: String?
    public let spec: TaskSpec
}

/// Why a verifier gave no score. The submission is then left for the owner's review: a
/// failure never approves and never rejects.
public enum ProofVerifierFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// No connection, or it broke before an answer.
    case unreachable(String)
    case timedOut(afterMillis: Int64)
    /// The verifier answered with a status other than 2xx.
    case refused(status: Int)
    /// A 2xx answer that is not `{"score": 0-100, "notes": [...]}`.
    case malformedAnswer(String)

    /// Worth another attempt: the verifier may answer next time.
    public var isTransient: Bool {
        switch self {
        case .unreachable, .timedOut: true
        case .refused(let status): status == 429 || status >= 500
        case .malformedAnswer: false
        }
    }

    public var description: String {
        switch self {
        case .unreachable(let reason): "unreachable (\(reason))"
        case .timedOut(let millis): "no answer within \(millis) ms"
        case .refused(let status): "answered HTTP \(status)"
        case .malformedAnswer(let reason): "answered something that is not a score (\(reason))"
        }
    }
}

/// Scores a submission against its task. Pluggable: the marketplace takes any verifier (an
/// operator's model behind HTTP, a human review queue); `RuleVerifier` is the default. The
/// score drives the owner's standing orders exactly as the rules' does (approve at
/// `ProofScore.autoApproveMin`, reject below `ProofScore.autoRejectBelow`).
public protocol ProofVerifier: Sendable {
    func verify(_ proof: SubmittedProof) async throws(ProofVerifierFailure) -> ProofScore
}

/// The default verifier, rules only:
/// - 30 points when every required kind of deliverable is present (fewer in proportion);
/// - 60 points spread over the proof requirements, each earned when a deliverable or the note
///   mentions at least half of the requirement's words of four letters or more (all 60 when
///   the task lists none);
/// - 10 points when no text deliverable is shorter than 10 characters.
public struct RuleVerifier: ProofVerifier {
    public init() {}

    public func verify(_ proof: SubmittedProof) async throws(ProofVerifierFailure) -> ProofScore {
        score(proof.deliverables, note: proof.note, for: proof.spec)
    }

    public func score(_ deliverables: [Submission.Item], note: String?, for spec: TaskSpec) -> ProofScore {
        var notes: [String] = []
        let required = Set(spec.requiredDeliverables)
        let present = required.intersection(deliverables.map(\.kind))
        let kinds = required.isEmpty ? 30 : 30 * present.count / required.count
        if present.count < required.count { notes.append("missing \(required.subtracting(present).map(\.rawValue).sorted().joined(separator: ", "))") }
        let corpus = Set((deliverables.map(\.value) + [note ?? ""]).flatMap(RiskGate.words).map(String.init))
        var addressed = 0
        for requirement in spec.proofRequirements {
            let words = Set(RiskGate.words(requirement).map(String.init).filter { $0.count >= 4 })
            if words.isEmpty || words.intersection(corpus).count * 2 >= words.count {
                addressed += 1
            } else {
                notes.append("proof requirement not addressed: \(requirement)")
            }
        }
        let proofs = spec.proofRequirements.isEmpty ? 60 : 60 * addressed / spec.proofRequirements.count
        let thin = deliverables.contains { $0.kind == .text && $0.value.count < 10 }
        if thin { notes.append("a text deliverable is under 10 characters") }
        return ProofScore(value: kinds + proofs + (thin ? 0 : 10), notes: notes)
    }
}
