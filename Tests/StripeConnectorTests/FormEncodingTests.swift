import Testing
@testable import StripeConnector

/// Stripe's form bodies: nested keys in brackets, in order, every reserved byte escaped.
struct FormEncodingTests {
    @Test func nestedKeysFlattenInOrderAndEscape() {
        let fields: [(String, FormValue)] = [
            ("mode", .string("payment")),
            ("line_items", .list([.object([
                ("price_data", .object([("currency", .string("usd")), ("unit_amount", .int(2_750)),
                                        ("product_data", .object([("name", .string("Café & co = 100%"))]))])),
                ("quantity", .string("1")),
            ])])),
            ("metadata", .map(["task_id": "tsk_1", "intent_id": "42"])),
        ]
        #expect(FormEncoding.pairs(fields).map { "\($0.0)=\($0.1)" } == [
            "mode=payment",
            "line_items[0][price_data][currency]=usd",
            "line_items[0][price_data][unit_amount]=2750",
            "line_items[0][price_data][product_data][name]=Café & co = 100%",
            "line_items[0][quantity]=1",
            "metadata[intent_id]=42",
            "metadata[task_id]=tsk_1",
        ])
        #expect(FormEncoding.body(fields) == "mode=payment"
            + "&line_items%5B0%5D%5Bprice_data%5D%5Bcurrency%5D=usd"
            + "&line_items%5B0%5D%5Bprice_data%5D%5Bunit_amount%5D=2750"
            + "&line_items%5B0%5D%5Bprice_data%5D%5Bproduct_data%5D%5Bname%5D=Caf%C3%A9%20%26%20co%20%3D%20100%25"
            + "&line_items%5B0%5D%5Bquantity%5D=1"
            + "&metadata%5Bintent_id%5D=42&metadata%5Btask_id%5D=tsk_1")
    }

    @Test func decodingReadsBackWhatWasEncoded() throws {
        let fields: [(String, FormValue)] = [("a[b]", .string("x y+z/é")), ("empty", .string(""))]
        let decoded = try #require(FormEncoding.decode(FormEncoding.body(fields)))
        #expect(decoded.map(\.0) == ["a[b]", "empty"])
        #expect(decoded.map(\.1) == ["x y+z/é", ""])
        #expect(FormEncoding.decode("a=1+2")?.first?.1 == "1 2")
        #expect(FormEncoding.decode("a=%zz") == nil)
        #expect(FormEncoding.decode("a=%C3") == nil)  // not UTF-8
    }
}
