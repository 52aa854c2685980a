/// The parts of the API's answers the simulation reads; money as integers of minor units.
enum APIAnswers {
    struct Money: Decodable, Sendable {
        let amountMinor: Int64
    }

    struct Identified: Decodable, Sendable {
        let id: String
    }

    struct Task: Decodable, Sendable {
        let id: String
        let status: String
    }

    /// A funding from the wallet or the test connector.
    struct Funding: Decodable, Sendable {
        let escrow: Money
        let fee: Money
    }

    /// An opened card checkout.
    struct Checkout: Decodable, Sendable {
        let sessionId: String?
        let amount: Money?
    }

    /// An x402 payment accepted and settling on chain.
    struct Settling: Decodable, Sendable {
        let amount: Money
    }

    /// One of a task's connector calls (checkout, authorization, refund, payout).
    struct Payment: Decodable, Sendable {
        let kind: String
        let state: String
        let amount: Money?
        let reference: String?

        var isOpen: Bool { state == "pending" || state == "sent" }
        var amountMinor: Int64 { amount?.amountMinor ?? 0 }
    }

    struct Dispute: Decodable, Sendable {
        struct Split: Decodable, Sendable {
            let toWorker: Money
            let toPayer: Money
            let fee: Money
        }

        let id: String
        let split: Split?
    }

    /// A milestone's part of the task's money, fixed once it is funded.
    struct MilestonePart: Sendable {
        let escrowMinor: Int64
        let payoutMinor: Int64
        let feeMinor: Int64
    }

    struct Milestone: Decodable, Sendable {
        let id: String
        let status: String
        let escrow: Money?
        let payout: Money?
        let fee: Money?

        var part: MilestonePart? {
            guard let escrow, let payout, let fee else { return nil }
            return MilestonePart(escrowMinor: escrow.amountMinor, payoutMinor: payout.amountMinor, feeMinor: fee.amountMinor)
        }
    }

    /// The answer to approving one milestone.
    struct MilestoneAnswer: Decodable, Sendable {
        let taskStatus: String
        let milestone: Milestone
    }

    struct Wallet: Decodable, Sendable {
        let asset: String
        let available: Money
    }
}
