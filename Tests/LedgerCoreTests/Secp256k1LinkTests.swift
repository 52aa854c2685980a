import CSecp256k1
import Foundation
import Testing

/// The system libsecp256k1 links and answers correctly: the public key of the private key 1
/// is the curve's generator G (SEC 2, section 2.4.1).
struct Secp256k1LinkTests {
    @Test func privateKeyOneHasTheGeneratorAsPublicKey() throws {
        let context = try #require(secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)))
        defer { secp256k1_context_destroy(context) }
        var secret = [UInt8](repeating: 0, count: 32)
        secret[31] = 1
        var publicKey = secp256k1_pubkey()
        #expect(secp256k1_ec_pubkey_create(context, &publicKey, secret) == 1)
        var output = [UInt8](repeating: 0, count: 33)
        var length = 33
        #expect(secp256k1_ec_pubkey_serialize(context, &output, &length, &publicKey, UInt32(SECP256K1_EC_COMPRESSED)) == 1)
        let hex = output.map { String(format: "%02x", $0) }.joined()
        #expect(hex == "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
    }
}
