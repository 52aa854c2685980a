import Foundation
import Testing
@testable import MarketplaceHTTP

/// The Location of a 201 is read from the answer's bytes by a scan (`CreatedID`): it finds the
/// same id a full parse finds (`data.id`, a string or a whole number, else the wrapped task's,
/// key's or user's), wherever the member sits and whatever precedes it, and no id in JSON that
/// does not hold one.
struct LocationTests {
    /// What a full parse reads: the reference the scan is checked against.
    private func parsed(_ json: String) -> String? {
        let data = ((try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any])?["data"] as? [String: Any]
        let wrapped = ["task", "key", "user"].lazy.compactMap { (data?[$0] as? [String: Any])?["id"] as? String }.first
        return data?["id"] as? String ?? (data?["id"] as? Int).map(String.init) ?? wrapped
    }

    private func scanned(_ json: String) -> String? {
        Data(json.utf8).withUnsafeBytes { CreatedID.read($0.bindMemory(to: UInt8.self)) }
    }

    static let answers = [
        #"{"data":{"id":"tsk_1","title":"x"}}"#,
        #"{"data":{"amount":{"amount":"1.00","id":"not me"},"budget":[1,{"id":"nor me"}],"id":"tsk_2"},"meta":{"id":"m"}}"#,
        #"{"before":{"data":{"id":"inner"}},"data":{"note":"a \"quoted\" } brace","id":"tsk_3"}}"#,
        #"{"data":{"number":7,"id":42}}"#,
        #"{"data":{"key":{"id":"key_1","secret":"s"},"secret":"x"}}"#,
        #"{"data":{"task":{"budget":{"amount":"2.00"},"id":"tsk_4"},"task_token":"tt"}}"#,
        #"{"data":{"user":{"id":"usr_1"},"access_token":"a"}}"#,
        #"{"data":{"id":null,"task":{"id":"tsk_5"}}}"#,
        #"{ "data" : { "title" : "spaced" , "id" : "tsk_6" } }"#,
        #"{"data":{"deleted":true,"list":[],"empty":{},"id":"tsk_7"}}"#,
        #"{"data":[{"id":"in an array"}]}"#,
        #"{"success":true}"#,
        #"{"data":{"id":1.5}}"#,
        #"{"data":{"id":"#,
        #"not json"#,
        "",
    ]

    @Test(arguments: answers)
    func theScanFindsWhatAFullParseFinds(_ json: String) {
        #expect(scanned(json) == parsed(json), "\(json)")
    }

    @Test func aCreationsPathIsTheCollectionAndItsID() {
        #expect(LocationMiddleware.location(of: Data(#"{"data":{"id":"tsk_9"}}"#.utf8), createdAt: "/v1/tasks") == "/v1/tasks/tsk_9")
        #expect(LocationMiddleware.location(of: Data(#"{"data":{"id":"app_1"}}"#.utf8), createdAt: "/v1/tasks/tsk_9/applications/")
            == "/v1/tasks/tsk_9/applications/app_1")
        #expect(LocationMiddleware.location(of: Data(#"{"success":true}"#.utf8), createdAt: "/v1/things") == "/v1/things")
        #expect(LocationMiddleware.location(of: Data(#"{"data":{"id":"d"}}"#.utf8), createdAt: "/v1/wallet/deposits") == "/v1/wallet")
    }
}
