import Testing
@testable import Marketplace

struct TaskStatusTests {
    /// Exactly the transitions of the issue, and every other pair refused with a conflict naming the status.
    @Test func theStateMachineAllowsExactlyTheDocumentedTransitions() {
        let legal: Set<String> = [
            "published.assign=assigned", "published.cancel=canceled", "published.expire=expired", "published.award=completed",
            "assigned.submit=submitted", "assigned.cancel=canceled", "assigned.dispute=disputed",
            "assigned.complete=completed",  // a freeform task completed by its owner (seed 002)
            "submitted.requestRevision=revision_requested", "submitted.approve=completed", "submitted.dispute=disputed",
            "submitted.reject=assigned", "revision_requested.submit=submitted", "revision_requested.dispute=disputed", "completed.pay=paid", "disputed.resolve=resolved",
        ]
        var seen: Set<String> = []
        for status in TaskStatus.allCases {
            for event in TaskEvent.allCases {
                do {
                    let next = try status.applying(event)
                    seen.insert("\(status.rawValue).\(event.rawValue)=\(next.rawValue)")
                } catch {
                    #expect(error.code == "CONFLICT")
                    #expect(error.description.hasPrefix("the task is \(status.rawValue);"))
                }
            }
        }
        #expect(seen == legal)
        #expect(TaskStatus.allCases.filter(\.isFinal).map(\.rawValue).sorted() == ["canceled", "expired", "paid", "resolved"])
    }
}
