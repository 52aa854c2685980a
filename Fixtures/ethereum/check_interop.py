#!/usr/bin/env python3
"""Check transactions and EIP-3009 authorizations made by the Swift CLI with eth-account.

Usage:
    .build/venv-eth/bin/python Fixtures/ethereum/check_interop.py FILE

FILE is JSON:
    {"transfers": [{"raw": "0x02...", "from", "chain_id", "nonce", "to", "value", "data",
                    "max_fee_per_gas", "max_priority_fee_per_gas", "gas"}],
     "authorizations": [{"network": "base"|"base-sepolia", "from", "to", "value",
                         "valid_after", "valid_before", "nonce", "signature"}]}
Integers are decimal strings (plain JSON integers are accepted too), byte strings 0x hex.
Addresses are compared as 20-byte values; a mixed-case address must be valid EIP-55.

Transfers: eth-account recovers the sender (Account.recover_transaction) and decodes the
raw EIP-1559 transaction (TypedTransaction.from_bytes); every field must equal the given one,
the access list must be empty, y_parity 0/1, s low, and re-encoding the decoded transaction
must give back the raw bytes exactly.
Authorizations: the EIP-712 TransferWithAuthorization typed data is built with the network's
USDC domain and the signer recovered with Account.recover_message(encode_typed_data(...));
it must equal "from"; the signature must be 65 bytes r||s||v with v 27/28 and low s.

Prints one line per item and a summary; exits non-zero on any mismatch, on zero items,
or on a missing or unreadable file.
"""

import importlib.metadata
import json
import sys

from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_account.typed_transactions import TypedTransaction
from eth_utils import is_checksum_address, is_hex_address, keccak
from hexbytes import HexBytes

SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141

USDC = {
    "base": {"name": "USD Coin", "version": "2", "chainId": 8453,
             "verifyingContract": "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"},
    "base-sepolia": {"name": "USDC", "version": "2", "chainId": 84532,
                     "verifyingContract": "0x036CbD53842c5426634e7929541eC2318f3dCF7e"},
}

TWA_TYPES = {
    "EIP712Domain": [
        {"name": "name", "type": "string"},
        {"name": "version", "type": "string"},
        {"name": "chainId", "type": "uint256"},
        {"name": "verifyingContract", "type": "address"},
    ],
    "TransferWithAuthorization": [
        {"name": "from", "type": "address"},
        {"name": "to", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "validAfter", "type": "uint256"},
        {"name": "validBefore", "type": "uint256"},
        {"name": "nonce", "type": "bytes32"},
    ],
}


class Bad(Exception):
    pass


def need(cond, msg):
    if not cond:
        raise Bad(msg)


def field(item, name):
    need(isinstance(item, dict), "item is not an object")
    need(name in item, "missing field %r" % name)
    return item[name]


def as_int(item, name):
    v = field(item, name)
    if isinstance(v, bool):
        raise Bad("%s: not an integer" % name)
    if isinstance(v, int):
        n = v
    elif isinstance(v, str) and v.isdigit() and v.isascii():
        n = int(v, 10)
    else:
        raise Bad("%s: %r is not a decimal integer string" % (name, v))
    need(0 <= n < 2**256, "%s out of uint256 range" % name)
    return n


def as_bytes(item, name, length=None):
    v = field(item, name)
    need(isinstance(v, str) and v[:2] in ("0x", "0X"), "%s: not 0x hex" % name)
    try:
        b = bytes.fromhex(v[2:])
    except ValueError:
        raise Bad("%s: invalid hex" % name)
    if length is not None:
        need(len(b) == length, "%s: %d bytes, expected %d" % (name, len(b), length))
    return b


def as_address(item, name):
    v = field(item, name)
    need(isinstance(v, str) and is_hex_address(v), "%s: %r is not an address" % (name, v))
    body = v[2:]
    if body != body.lower() and body != body.upper():
        need(is_checksum_address(v), "%s: %s has a bad EIP-55 checksum" % (name, v))
    return bytes.fromhex(body)


def check_transfer(t):
    raw = as_bytes(t, "raw")
    need(len(raw) > 0 and raw[0] == 0x02, "raw is not an EIP-1559 (type 0x02) transaction")
    frm = as_address(t, "from")
    recovered = Account.recover_transaction(raw)
    need(bytes.fromhex(recovered[2:]) == frm,
         "recovered sender %s != from %s" % (recovered, field(t, "from")))
    decoded = TypedTransaction.from_bytes(HexBytes(raw))
    need(decoded.transaction_type == 2, "decoded type %d" % decoded.transaction_type)
    d = decoded.as_dict()
    pairs = [
        ("chain_id", d["chainId"], as_int(t, "chain_id")),
        ("nonce", d["nonce"], as_int(t, "nonce")),
        ("max_priority_fee_per_gas", d["maxPriorityFeePerGas"], as_int(t, "max_priority_fee_per_gas")),
        ("max_fee_per_gas", d["maxFeePerGas"], as_int(t, "max_fee_per_gas")),
        ("gas", d["gas"], as_int(t, "gas")),
        ("to", bytes(d["to"]), as_address(t, "to")),
        ("value", d["value"], as_int(t, "value")),
        ("data", bytes(d["data"]), as_bytes(t, "data")),
    ]
    for name, got, want in pairs:
        if got != want:
            g = "0x" + got.hex() if isinstance(got, bytes) else got
            w = "0x" + want.hex() if isinstance(want, bytes) else want
            raise Bad("%s: raw has %s, given %s" % (name, g, w))
    need(len(d["accessList"]) == 0, "access list is not empty")
    y, r, s = decoded.vrs()
    need(y in (0, 1), "y_parity %r" % y)
    need(1 <= r < SECP256K1_N, "r out of range")
    need(1 <= s <= SECP256K1_N // 2, "high s (EIP-2)")
    need(decoded.encode() == raw, "re-encoding the decoded transaction does not give back raw (non-canonical RLP?)")
    return "chain %d nonce %d from %s hash 0x%s" % (d["chainId"], d["nonce"], recovered, keccak(raw).hex())


def check_authorization(a):
    network = field(a, "network")
    need(network in USDC, "unknown network %r" % (network,))
    frm = as_address(a, "from")
    to = as_address(a, "to")
    nonce = as_bytes(a, "nonce", 32)
    sig = as_bytes(a, "signature", 65)
    v = sig[64]
    s = int.from_bytes(sig[32:64], "big")
    r = int.from_bytes(sig[:32], "big")
    need(v in (27, 28), "v is %d, expected 27 or 28" % v)
    need(1 <= r < SECP256K1_N, "r out of range")
    need(1 <= s <= SECP256K1_N // 2, "high s")
    full = {
        "types": TWA_TYPES,
        "primaryType": "TransferWithAuthorization",
        "domain": dict(USDC[network]),
        "message": {
            "from": "0x" + frm.hex(),
            "to": "0x" + to.hex(),
            "value": as_int(a, "value"),
            "validAfter": as_int(a, "valid_after"),
            "validBefore": as_int(a, "valid_before"),
            "nonce": nonce,
        },
    }
    signable = encode_typed_data(full_message=full)
    recovered = Account.recover_message(signable, signature=sig)
    need(bytes.fromhex(recovered[2:]) == frm,
         "recovered signer %s != from %s" % (recovered, field(a, "from")))
    return "%s value %s signer %s" % (network, full["message"]["value"], recovered)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: check_interop.py FILE\n")
        return 2
    path = argv[1]
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print("FAIL cannot read %s: %s" % (path, e))
        return 1
    if not isinstance(doc, dict):
        print("FAIL %s: top level is not an object" % path)
        return 1
    transfers = doc.get("transfers", [])
    auths = doc.get("authorizations", [])
    if not isinstance(transfers, list) or not isinstance(auths, list):
        print("FAIL transfers and authorizations must be lists")
        return 1
    version = importlib.metadata.version("eth-account")
    failures = 0
    ok_t = ok_a = 0
    for i, t in enumerate(transfers):
        try:
            print("ok   transfer %d: %s" % (i, check_transfer(t)))
            ok_t += 1
        except Exception as e:  # any library error is a rejection too
            failures += 1
            print("FAIL transfer %d: %s%s" % (i, "" if isinstance(e, Bad) else type(e).__name__ + ": ", e))
    for i, a in enumerate(auths):
        try:
            print("ok   authorization %d: %s" % (i, check_authorization(a)))
            ok_a += 1
        except Exception as e:
            failures += 1
            print("FAIL authorization %d: %s%s" % (i, "" if isinstance(e, Bad) else type(e).__name__ + ": ", e))
    if not transfers and not auths:
        print("FAIL %s has no transfers and no authorizations" % path)
        return 1
    if failures:
        print("eth-account %s rejected %d of %d items (%d transfers and %d authorizations accepted)"
              % (version, failures, len(transfers) + len(auths), ok_t, ok_a))
        return 1
    print("eth-account %s accepted %d transfers and %d authorizations" % (version, ok_t, ok_a))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
