import LedgerCore
import Marketplace
import NIOHTTP1

/// A task that is an order of a service (seed 000): its worker publishes a service priced at
/// the task's budget, and the agent orders it; the order's task is assigned to the worker at
/// once and is then funded, worked and settled like any other.
extension Simulation {
    func order(_ task: TaskPlan, from worker: WorkerSession, by agent: AgentSession) async throws -> String {
        struct Price: Encodable {
            let amount: String
            let currency: String
        }
        struct NewService: Encodable {
            let title: String
            let description: String
            let category: String
            let price: Price
            let deliveryDays: Int
        }
        let price = Price(amount: MinorUnits.format(task.budgetMinor, scale: task.asset.scale), currency: task.asset.code)
        let service: APIAnswers.Identified = try await world.api.call(
            "publish the service of task \(task.index)", .POST, "/v1/services", token: worker.key,
            payload: NewService(title: "Simulated service \(task.index)", description: "Check the address and send one photo of the door.",
                                category: "verification", price: price, deliveryDays: 3),
            expect: [201])
        let order: APIAnswers.Order = try await world.api.call("order service \(service.id)", .POST, "/v1/services/\(service.id)/orders",
                                                               token: agent.key, expect: [201])
        guard order.task.status == "assigned", order.price.amountMinor == task.budgetMinor else {
            throw SimulationError.mismatch("order \(order.id) is \(order.task.status) at \(order.price.amountMinor); the plan says assigned at \(task.budgetMinor)")
        }
        return order.id
    }
}

extension APIAnswers {
    /// A placed order: its id (its task's), its task, and its price.
    struct Order: Decodable, Sendable {
        let id: String
        let task: Task
        let price: Money
    }
}
