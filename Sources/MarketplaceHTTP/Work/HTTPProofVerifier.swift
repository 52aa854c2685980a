public import AsyncHTTPClient
import Foundation
public import Marketplace
import NIOCore
import NIOHTTP1

/// A proof verifier the operator runs (a vision model, say) behind an HTTP endpoint: each
/// submission is POSTed to it as JSON, signed like outbound webhooks, and its answer's score
/// (0-100) drives auto-approve and auto-reject as the rules' does. Each attempt has a
/// timeout; transient failures (no connection, timeout, 429, 5xx) are retried a bounded
/// number of times; any failure leaves the submission for the owner's review.
///
/// The contract (README, "Proof verification"):
/// - request: `POST <url>` with `Content-Type: application/json`,
///   `Marketplace-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`
///   and `Marketplace-Submission-Id`; the body is `VerificationRequest` (snake_case).
/// - answer: 2xx with `{"score": <integer 0-100>, "notes": ["…"]}` (notes optional).
public struct HTTPProofVerifier: ProofVerifier {
    public struct Configuration: Sendable {
        public var url: String
        /// The HMAC key the endpoint checks the signature with.
        public var secret: String
        public var timeoutMillis: Int64
        public var attemptsMax: Int
        /// The wait before the second attempt; each later one waits twice as long.
        public var retryDelayMillis: Int64

        public static let timeoutMillisStandard: Int64 = 10_000
        public static let attemptsMaxStandard = 3
        public static let retryDelayMillisStandard: Int64 = 250

        public init(url: String, secret: String, timeoutMillis: Int64 = timeoutMillisStandard, attemptsMax: Int = attemptsMaxStandard,
                    retryDelayMillis: Int64 = retryDelayMillisStandard) {
            self.url = url
            self.secret = secret
            self.timeoutMillis = timeoutMillis
            self.attemptsMax = attemptsMax
            self.retryDelayMillis = retryDelayMillis
        }
    }

    /// The header naming the submission, the same on every attempt (for the endpoint's own dedup).
    public static let submissionIDHeader = "Marketplace-Submission-Id"
    /// Bounds on what is read back: the answer's bytes, and its notes' count and length.
    static let answerBytesMax = 64 * 1_024
    static let notesMax = 20
    static let noteLengthMax = 500

    let configuration: Configuration
    let http: HTTPClient

    public init(_ configuration: Configuration, http: HTTPClient = HTTPWebhookSender.withoutRedirects) {
        precondition(configuration.attemptsMax >= 1 && configuration.timeoutMillis > 0)
        self.configuration = configuration
        self.http = http
    }

    public func verify(_ proof: SubmittedProof) async throws(ProofVerifierFailure) -> ProofScore {
        let body = Self.body(proof)
        var attempt = 1
        while true {
            do {
                return try await post(body, submissionID: proof.submissionID)
            } catch where error.isTransient && attempt < configuration.attemptsMax {
                let waitMillis = configuration.retryDelayMillis << (attempt - 1)
                try? await Task.sleep(for: .milliseconds(waitMillis))
                attempt += 1
            }
        }
    }

    /// One attempt, signed at the time it is sent.
    private func post(_ body: [UInt8], submissionID: String) async throws(ProofVerifierFailure) -> ProofScore {
        var request = HTTPClientRequest(url: configuration.url)
        request.method = .POST
        let timestamp = Int64(Date().timeIntervalSince1970)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: WebhookService.signatureHeader, value: WebhookService.signature(secret: configuration.secret, timestamp: timestamp, body: body))
        request.headers.add(name: Self.submissionIDHeader, value: submissionID)
        request.headers.add(name: "User-Agent", value: "marketplace-verifier/1")
        request.body = .bytes(ByteBuffer(bytes: body))
        let status: Int
        let answer: ByteBuffer
        do {
            let response = try await http.execute(request, timeout: .milliseconds(configuration.timeoutMillis))
            status = Int(response.status.code)
            answer = try await response.body.collect(upTo: Self.answerBytesMax)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw .timedOut(afterMillis: configuration.timeoutMillis)
        } catch {
            // The owner reads this in the submission's notes: name no host of the operator's.
            throw .unreachable("the connection failed")
        }
        guard (200..<300).contains(status) else { throw .refused(status: status) }
        return try Self.score(from: Data(answer.readableBytesView))
    }

    /// The answer's score, or why it is none: not JSON, no integer score, out of 0-100.
    static func score(from answer: Data) throws(ProofVerifierFailure) -> ProofScore {
        let decoded: VerificationAnswer
        do { decoded = try JSONDecoder().decode(VerificationAnswer.self, from: answer) } catch {
            throw .malformedAnswer("expected {\"score\": 0-100, \"notes\": [...]}")
        }
        guard (0...100).contains(decoded.score) else { throw .malformedAnswer("score \(decoded.score) is outside 0-100") }
        let notes = (decoded.notes ?? []).prefix(notesMax).map { String($0.prefix(noteLengthMax)) }
        return ProofScore(value: decoded.score, notes: Array(notes))
    }

    /// The request body: the submission and the task it answers, snake_case, keys sorted.
    static func body(_ proof: SubmittedProof) -> [UInt8] {
        let spec = proof.spec
        let request = VerificationRequest(
            version: VerificationRequest.versionCurrent,
            submission: .init(id: proof.submissionID, taskId: proof.taskID, workerId: proof.workerID, note: proof.note,
                              deliverables: proof.deliverables.map { .init(kind: $0.kind.rawValue, value: $0.value) }),
            task: .init(id: proof.taskID, title: spec.title, description: spec.description, category: spec.category, taskType: spec.taskType,
                        address: spec.address, latitude: spec.latitude, longitude: spec.longitude,
                        requiredDeliverables: spec.requiredDeliverables.map(\.rawValue), proofRequirements: spec.proofRequirements),
            thresholds: .init(autoApproveMin: ProofScore.autoApproveMin, autoRejectBelow: ProofScore.autoRejectBelow))
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Plain strings, numbers and arrays: encoding cannot fail.
        return Array((try? encoder.encode(request)) ?? Data("{}".utf8))
    }
}

/// What the verifier endpoint receives.
struct VerificationRequest: Encodable {
    static let versionCurrent = 1

    struct Deliverable: Encodable {
        let kind: String
        let value: String
    }

    struct SubmissionPart: Encodable {
        let id: String
        let taskId: String
        let workerId: String
        let note: String?
        let deliverables: [Deliverable]
    }

    struct TaskPart: Encodable {
        let id: String
        let title: String
        let description: String
        let category: String
        let taskType: String?
        let address: String?
        let latitude: Double?
        let longitude: Double?
        let requiredDeliverables: [String]
        let proofRequirements: [String]
    }

    /// What the score will do, so that the endpoint can say why in its notes.
    struct Thresholds: Encodable {
        let autoApproveMin: Int
        let autoRejectBelow: Int
    }

    let version: Int
    let submission: SubmissionPart
    let task: TaskPart
    let thresholds: Thresholds
}

/// What the verifier endpoint answers.
struct VerificationAnswer: Decodable {
    let score: Int
    let notes: [String]?
}
