#!/usr/bin/env python3
"""Write Fixtures/ethereum/vectors.json: Ethereum / Base test vectors.

Every value is computed by eth-account and its dependencies from PyPI (eth-utils,
eth-hash[pycryptodome], rlp, eth-abi, eth-keys), pinned in requirements.txt, and
every vector is checked again with the library (recovery, decoding, re-encoding,
an independent recomputation from rlp / eth-abi / keccak, and the values published
in the EIP texts) before anything is written. The script aborts (non-zero exit,
nothing written) on any mismatch.

Run with the pinned venv (from the repository root):
    python3 -m venv .build/venv-eth
    .build/venv-eth/bin/pip install -r Fixtures/ethereum/requirements.txt
    .build/venv-eth/bin/python Fixtures/ethereum/make_fixtures.py

Conventions in the output:
  * byte strings: lowercase 0x-prefixed hex ("0x" for empty);
  * integers: decimal strings (nonce, gas, value, chain ids, v, y_parity, ...);
  * r and s: 32-byte 0x hex (left-padded), as they appear in a 65-byte signature;
  * addresses: EIP-55 checksummed 0x strings.
Output is deterministic (fixed keys and values; signatures are RFC 6979), so
re-running gives a byte-identical file.
"""

import importlib.metadata
import json
import os
import sys

import eth_abi
import rlp
from eth_account import Account
from eth_account._utils.legacy_transactions import (
    serializable_unsigned_transaction_from_dict,
)
from eth_account.messages import _hash_eip191_message, encode_typed_data
from eth_account.typed_transactions import TypedTransaction
from eth_keys import keys
from eth_utils import is_checksum_address, keccak, to_checksum_address
from hexbytes import HexBytes

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_PATH = os.path.join(HERE, "vectors.json")
REQUIREMENTS_PATH = os.path.join(HERE, "requirements.txt")
PINNED = ["eth-account", "eth-utils", "eth-hash", "rlp", "eth-abi", "eth-keys", "pycryptodome"]

SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
UINT256_MAX = 2**256 - 1

USDC = {
    "base": {
        "chain_id": 8453,
        "verifying_contract": "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
        "domain_name": "USD Coin",
        "domain_version": "2",
    },
    "base-sepolia": {
        "chain_id": 84532,
        "verifying_contract": "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
        "domain_name": "USDC",
        "domain_version": "2",
    },
}

TWA_TYPE = "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
DOMAIN_TYPE = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"


def fail(msg):
    sys.stderr.write("make_fixtures.py: FAIL: %s\n" % msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def hx(b):
    return "0x" + bytes(b).hex()


def dec(n):
    check(isinstance(n, int) and not isinstance(n, bool), "not an int: %r" % (n,))
    return str(n)


def b32(n):
    return hx(n.to_bytes(32, "big"))


def key_hex(k):
    check(len(k) == 32, "private key must be 32 bytes")
    return hx(k)


def address_of(k):
    return keys.PrivateKey(k).public_key.to_checksum_address()


def low_s(s):
    return 1 <= s <= SECP256K1_N // 2


def recover_address(msg_hash, recovery_id, r, s):
    sig = keys.Signature(vrs=(recovery_id, r, s))
    return sig.recover_public_key_from_msg_hash(bytes(msg_hash)).to_checksum_address()


# ---------------------------------------------------------------- keys

KEYS = {
    # EIP-155's example key.
    "eip155": bytes([0x46]) * 32,
    # The well-known key from the web3.py / eth-account documentation.
    "web3_docs": bytes.fromhex("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"),
    # EIP-712's example key keccak256("cow").
    "cow": keccak(b"cow"),
    # The smallest and largest valid private keys.
    "one": (1).to_bytes(32, "big"),
    "n_minus_1": (SECP256K1_N - 1).to_bytes(32, "big"),
    "fixture1": keccak(b"fixture key 1"),
    "fixture2": keccak(b"fixture key 2"),
    "fixture3": keccak(b"fixture key 3"),
}

KNOWN_ADDRESSES = {
    "eip155": "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F",
    "web3_docs": "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23",
    "cow": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826",
    "one": "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf",
}


# ---------------------------------------------------------------- pins

def check_pins():
    try:
        with open(REQUIREMENTS_PATH, encoding="utf-8") as f:
            lines = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    except OSError as e:
        fail("cannot read %s: %s" % (REQUIREMENTS_PATH, e))
    pins = dict(l.split("==", 1) for l in lines)
    check(sorted(pins) == sorted(PINNED), "requirements.txt must pin exactly %s" % PINNED)
    for name, version in pins.items():
        installed = importlib.metadata.version(name)
        check(installed == version,
              "requirements.txt pins %s==%s but %s is installed; install the pinned versions"
              % (name, version, installed))
    return pins["eth-account"]


# ---------------------------------------------------------------- keccak

def keccak_vectors():
    def pattern(n, seed):
        return bytes((i * 7 + seed) % 256 for i in range(n))

    inputs = [b"", b"abc", bytes([0]), pattern(200, 3)]
    for n in (135, 136, 137, 271, 272, 273):
        inputs.append(pattern(n, n))
    out = []
    for data in inputs:
        out.append({"input_hex": hx(data), "length": dec(len(data)), "hash": hx(keccak(data))})
    check(out[0]["hash"] == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
          "keccak('') is not the known value")
    check(out[1]["hash"] == "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45",
          "keccak('abc') is not the known value")
    return out


# ---------------------------------------------------------------- addresses

def address_vectors():
    out = []
    for name, k in KEYS.items():
        pk = keys.PrivateKey(k)
        pub = b"\x04" + pk.public_key.to_bytes()
        addr = pk.public_key.to_checksum_address()
        check(addr == Account.from_key(k).address, "address mismatch for %s" % name)
        check(addr == to_checksum_address(keccak(pub[1:])[12:]), "address derivation mismatch for %s" % name)
        if name in KNOWN_ADDRESSES:
            check(addr == KNOWN_ADDRESSES[name], "%s: %s is not the known address" % (name, addr))
        out.append({"name": name, "private_key": key_hex(k), "public_key_uncompressed": hx(pub), "address": addr})
    g = out[3]["public_key_uncompressed"]
    check(g == "0x0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
               "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8",
          "public key of private key 1 is not the generator point")
    return out


def checksum_vectors():
    # The EIP-55 text's examples (all-caps, all-lower, mixed), then derived ones.
    eip55 = [
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77",
        "0x27b1fdb04752bbc536007a920d24acb045561c26",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ]
    lowers = [a.lower() for a in eip55]
    lowers += [hx(keccak(b"checksum address %d" % i)[12:]) for i in range(10)]
    lowers += ["0x" + "00" * 20, "0x" + "ff" * 20,
               USDC["base"]["verifying_contract"].lower(), USDC["base-sepolia"]["verifying_contract"].lower()]
    out = []
    for i, low in enumerate(lowers):
        cs = to_checksum_address(low)
        check(is_checksum_address(cs), "not a checksum address: %s" % cs)
        check(cs.lower() == low, "checksum changed the bytes")
        if i < len(eip55):
            check(cs == eip55[i], "EIP-55 example %s came out %s" % (eip55[i], cs))
        out.append({"lower": low, "checksummed": cs})
    check(out[-2]["checksummed"] == USDC["base"]["verifying_contract"], "USDC base checksum")
    check(out[-1]["checksummed"] == USDC["base-sepolia"]["verifying_contract"], "USDC base-sepolia checksum")
    return out


# ---------------------------------------------------------------- rlp

def rlp_vectors():
    def h(b):
        return hx(b)

    cases = [
        ("empty string", b""),
        ("single byte 0x00", b"\x00"),
        ("single byte 0x01", b"\x01"),
        ("single byte 0x7f", b"\x7f"),
        ("single byte 0x80", b"\x80"),
        ("single byte 0xff", b"\xff"),
        ("string 'dog'", b"dog"),
        ("integer 1024 as minimal big-endian bytes 0x0400", b"\x04\x00"),
        ("55-byte string (longest short string)", bytes(range(1, 56))),
        ("56-byte string (shortest long string)", bytes(range(1, 57))),
        ("1024-byte string (two-byte length)", bytes(i % 256 for i in range(1024))),
        ("empty list", []),
        ("list ['cat', 'dog']", [b"cat", b"dog"]),
        ("list [0x00, 0x7f, 0x80, empty]", [b"\x00", b"\x7f", b"\x80", b""]),
        ("nested lists (set-theoretic three) [[], [[]], [[], [[]]]]", [[], [[]], [[], [[]]]]),
        ("list [[], []]", [[], []]),
        ("list [[0x01, 'ab'], [[0x02]], empty]", [[b"\x01", b"ab"], [[b"\x02"]], b""]),
        ("list whose payload is exactly 55 bytes", [bytes([0x61]) * 53]),
        ("list whose payload is exactly 56 bytes", [bytes([0x61]) * 54]),
        ("list of three 20-byte strings (payload 63 bytes)",
         [keccak(b"rlp a")[:20], keccak(b"rlp b")[:20], keccak(b"rlp c")[:20]]),
        ("list containing a 56-byte string and a nested list", [bytes(range(56)), [b"x", [b"\x80"]]]),
        ("list with 300-byte payload (two-byte list length)", [bytes([0x42]) * 100] * 3),
    ]

    def to_json(v):
        if isinstance(v, list):
            return [to_json(x) for x in v]
        return h(v)

    def normalize(v):
        if isinstance(v, (list, tuple)):
            return [normalize(x) for x in v]
        return bytes(v)

    out = []
    for desc, value in cases:
        enc = rlp.encode(value)
        check(normalize(rlp.decode(enc)) == value, "rlp round trip failed for %s" % desc)
        out.append({"description": desc, "value": to_json(value), "encoded": h(enc)})
    # Spot checks against the RLP spec text.
    spot = {c["description"]: c["encoded"] for c in out}
    check(spot["empty string"] == "0x80", "rlp('')")
    check(spot["single byte 0x00"] == "0x00", "rlp(0x00)")
    check(spot["string 'dog'"] == "0x83646f67", "rlp('dog')")
    check(spot["empty list"] == "0xc0", "rlp([])")
    check(spot["list ['cat', 'dog']"] == "0xc88363617483646f67", "rlp(['cat','dog'])")
    check(spot["nested lists (set-theoretic three) [[], [[]], [[], [[]]]]"] == "0xc7c0c1c0c3c0c1c0", "rlp(three)")
    check(spot["integer 1024 as minimal big-endian bytes 0x0400"] == "0x820400", "rlp(1024)")
    return out


# ---------------------------------------------------------------- abi

def selector(sig):
    return keccak(text=sig)[:4]


def abi_entry(sig, args):
    name, rest = sig.split("(", 1)
    types = rest[:-1].split(",") if rest != ")" else []
    check(len(types) == len(args), "arg count for %s" % sig)
    py_args = []
    json_args = []
    for t, a in zip(types, args):
        if t == "address":
            py_args.append(a)
            json_args.append(to_checksum_address(a))
        elif t.startswith("uint"):
            py_args.append(a)
            json_args.append(dec(a))
        elif t == "bytes32":
            check(len(a) == 32, "bytes32 arg")
            py_args.append(a)
            json_args.append(hx(a))
        else:
            fail("unsupported type %s" % t)
    body = eth_abi.encode(types, py_args)
    calldata = selector(sig) + body
    decoded = eth_abi.decode(types, calldata[4:])
    for t, a, d in zip(types, py_args, decoded):
        if t == "address":
            check(d.lower() == a.lower(), "abi decode address")
        else:
            check(d == a, "abi decode %s" % t)
    check(len(body) == 32 * len(types), "static abi encoding length")
    return {"signature": sig, "selector": hx(selector(sig)), "args": json_args, "calldata": hx(calldata)}


KNOWN_SELECTORS = {
    "transfer(address,uint256)": "0xa9059cbb",
    "balanceOf(address)": "0x70a08231",
    "authorizationState(address,bytes32)": "0xe94a0102",
    "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)": "0xe3ee160e",
}


def transfer_calldata(to, value):
    return selector("transfer(address,uint256)") + eth_abi.encode(["address", "uint256"], [to, value])


# ---------------------------------------------------------------- legacy (EIP-155)

def legacy_vector(desc, key, tx):
    signed = Account.sign_transaction(tx, key)
    frm = address_of(key)
    unsigned = serializable_unsigned_transaction_from_dict(tx)
    signing_hash = unsigned.hash()
    # Independent: keccak(rlp([nonce, gasPrice, gas, to, value, data, chainId, 0, 0])).
    to_b = bytes.fromhex(tx["to"][2:])
    preimage = rlp.encode([tx["nonce"], tx["gasPrice"], tx["gas"], to_b, tx["value"], tx["data"], tx["chainId"], 0, 0])
    check(keccak(preimage) == signing_hash, "%s: legacy signing hash mismatch" % desc)
    v, r, s = signed.v, signed.r, signed.s
    y = v - (tx["chainId"] * 2 + 35)
    check(y in (0, 1), "%s: v=%d is not EIP-155 for chain %d" % (desc, v, tx["chainId"]))
    check(low_s(s), "%s: high s" % desc)
    check(recover_address(signing_hash, y, r, s) == frm, "%s: recover from signing hash" % desc)
    raw = bytes(signed.raw_transaction)
    check(Account.recover_transaction(raw) == frm, "%s: recover_transaction" % desc)
    fields = rlp.decode(raw)
    expect = [tx["nonce"], tx["gasPrice"], tx["gas"], to_b, tx["value"], tx["data"], v, r, s]
    check(len(fields) == 9, "%s: legacy raw has %d fields" % (desc, len(fields)))
    for i, (f, e) in enumerate(zip(fields, expect)):
        got = rlp.sedes.big_endian_int.deserialize(f) if isinstance(e, int) else bytes(f)
        check(got == e, "%s: decoded field %d mismatch" % (desc, i))
    check(rlp.encode(expect) == raw, "%s: raw re-encoding" % desc)
    check(keccak(raw) == bytes(signed.hash), "%s: tx hash" % desc)
    return {
        "description": desc,
        "private_key": key_hex(key),
        "from": frm,
        "nonce": dec(tx["nonce"]),
        "gas_price": dec(tx["gasPrice"]),
        "gas": dec(tx["gas"]),
        "to": to_checksum_address(tx["to"]),
        "value": dec(tx["value"]),
        "data": hx(tx["data"]),
        "chain_id": dec(tx["chainId"]),
        "signing_preimage": hx(preimage),
        "signing_hash": hx(signing_hash),
        "v": dec(v),
        "r": b32(r),
        "s": b32(s),
        "raw": hx(raw),
        "hash": hx(signed.hash),
    }


def legacy_vectors():
    out = [
        legacy_vector(
            "EIP-155 text example",
            KEYS["eip155"],
            dict(nonce=9, gasPrice=20 * 10**9, gas=21000, to="0x3535353535353535353535353535353535353535",
                 value=10**18, data=b"", chainId=1),
        ),
        legacy_vector(
            "Base mainnet ETH transfer, nonce 0 (multi-byte v)",
            KEYS["fixture1"],
            dict(nonce=0, gasPrice=1_000_000, gas=21000, to=address_of(KEYS["fixture2"]),
                 value=123_456_789_000_000, data=b"", chainId=8453),
        ),
        legacy_vector(
            "Base mainnet USDC transfer(address,uint256) call, nonce 300",
            KEYS["web3_docs"],
            dict(nonce=300, gasPrice=100 * 10**9, gas=65_000, to=USDC["base"]["verifying_contract"],
                 value=0, data=transfer_calldata(address_of(KEYS["fixture3"]), 2_500_000), chainId=8453),
        ),
    ]
    e = out[0]
    check(e["signing_preimage"] == "0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080",
          "EIP-155 signing data differs from the EIP text")
    check(e["signing_hash"] == "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53",
          "EIP-155 signing hash differs from the EIP text")
    check(e["v"] == "37", "EIP-155 v")
    check(int(e["r"], 16) == 18515461264373351373200002665853028612451056578545711640558177340181847433846, "EIP-155 r")
    check(int(e["s"], 16) == 46948507304638947509940763649030358759909902576025900602547168820602576006531, "EIP-155 s")
    check(e["raw"] == "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a0"
                      "28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b"
                      "3800ccf555c9f3dc64214b297fb1966a3b6d83", "EIP-155 signed transaction differs from the EIP text")
    return out


# ---------------------------------------------------------------- EIP-1559

def eip1559_vector(desc, key, chain_id, nonce, prio, max_fee, gas, to, value, data):
    tx = {
        "type": 2,
        "chainId": chain_id,
        "nonce": nonce,
        "maxPriorityFeePerGas": prio,
        "maxFeePerGas": max_fee,
        "gas": gas,
        "to": to,
        "value": value,
        "data": data,
        "accessList": [],
    }
    frm = address_of(key)
    signed = Account.sign_transaction(tx, key)
    raw = bytes(signed.raw_transaction)
    check(raw[0] == 2, "%s: not type 2" % desc)
    # The library's own signing hash, and an independent one from rlp.
    signing_hash = TypedTransaction.from_dict(tx).hash()
    to_b = bytes.fromhex(to[2:])
    preimage = b"\x02" + rlp.encode([chain_id, nonce, prio, max_fee, gas, to_b, value, data, []])
    check(keccak(preimage) == signing_hash, "%s: signing hash mismatch" % desc)
    y, r, s = signed.v, signed.r, signed.s
    check(y in (0, 1), "%s: y_parity %d" % (desc, y))
    check(low_s(s), "%s: high s" % desc)
    check(recover_address(signing_hash, y, r, s) == frm, "%s: recover from signing hash" % desc)
    check(Account.recover_transaction(raw) == frm, "%s: recover_transaction" % desc)
    decoded = TypedTransaction.from_bytes(HexBytes(raw))
    d = decoded.as_dict()
    check(decoded.transaction_type == 2, "%s: decoded type" % desc)
    check(decoded.hash() == signing_hash, "%s: decoded signing hash" % desc)
    check(d["chainId"] == chain_id and d["nonce"] == nonce and d["maxPriorityFeePerGas"] == prio
          and d["maxFeePerGas"] == max_fee and d["gas"] == gas and bytes(d["to"]) == to_b
          and d["value"] == value and bytes(d["data"]) == data and tuple(d["accessList"]) == ()
          and decoded.vrs() == (y, r, s), "%s: decoded fields differ" % desc)
    check(decoded.encode() == raw, "%s: re-encoding differs" % desc)
    payload = rlp.encode([chain_id, nonce, prio, max_fee, gas, to_b, value, data, [], y, r, s])
    check(b"\x02" + payload == raw, "%s: independent raw encoding differs" % desc)
    check(keccak(raw) == bytes(signed.hash), "%s: tx hash" % desc)
    return {
        "description": desc,
        "private_key": key_hex(key),
        "from": frm,
        "chain_id": dec(chain_id),
        "nonce": dec(nonce),
        "max_priority_fee_per_gas": dec(prio),
        "max_fee_per_gas": dec(max_fee),
        "gas": dec(gas),
        "to": to_checksum_address(to),
        "value": dec(value),
        "data": hx(data),
        "access_list": [],
        "signing_preimage": hx(preimage),
        "signing_hash": hx(signing_hash),
        "y_parity": dec(y),
        "r": b32(r),
        "s": b32(s),
        "raw": hx(raw),
        "hash": hx(signed.hash),
    }


def eip1559_vectors():
    base_usdc = USDC["base"]["verifying_contract"]
    sep_usdc = USDC["base-sepolia"]["verifying_contract"]
    out = [
        eip1559_vector("Base mainnet ETH transfer, nonce 0, 1 ether", KEYS["fixture1"], 8453, 0,
                       1_000_000, 2_000_000_000, 21000, address_of(KEYS["fixture2"]), 10**18, b""),
        eip1559_vector("Base mainnet USDC transfer 1.00 USDC, zero value", KEYS["fixture2"], 8453, 7,
                       1_000_000, 50_000_000, 65_000, base_usdc, 0,
                       transfer_calldata(address_of(KEYS["fixture3"]), 1_000_000)),
        eip1559_vector("Base Sepolia USDC transfer 0.000001 USDC, nonce 1", KEYS["fixture3"], 84532, 1,
                       100_000, 1_500_000, 60_000, sep_usdc, 0,
                       transfer_calldata(address_of(KEYS["fixture1"]), 1)),
        eip1559_vector("Base Sepolia, value 2**200, nonce 2**64-2 (largest usable, EIP-2681)", KEYS["web3_docs"], 84532,
                       2**64 - 2, 3, 4, 21000, address_of(KEYS["one"]), 2**200, b""),
        eip1559_vector("Base mainnet, all fees and value zero, nonce 0", KEYS["eip155"], 8453, 0,
                       0, 0, 21000, "0x3535353535353535353535353535353535353535", 0, b""),
        eip1559_vector("Base mainnet, value and fees at uint256 max, nonce 127/128 boundary", KEYS["cow"], 8453, 128,
                       UINT256_MAX, UINT256_MAX, 30_000_000, "0x0000000000000000000000000000000000000001",
                       UINT256_MAX, b""),
        eip1559_vector("Base mainnet USDC transfer of uint256 max to the zero-padded address, key 1", KEYS["one"], 8453,
                       1_000_000, 1, 1_000_000_000, 100_000, base_usdc, 0,
                       transfer_calldata("0x0000000000000000000000000000000000000000", UINT256_MAX)),
        eip1559_vector("Base Sepolia, 1 wei with 200-byte data, key n-1", KEYS["n_minus_1"], 84532, 42,
                       1_000_000_000, 100_000_000_000, 500_000, sep_usdc, 1,
                       bytes((i * 13 + 5) % 256 for i in range(200))),
    ]
    return out


# ---------------------------------------------------------------- EIP-712

MAIL_TYPES = {
    "EIP712Domain": [
        {"name": "name", "type": "string"},
        {"name": "version", "type": "string"},
        {"name": "chainId", "type": "uint256"},
        {"name": "verifyingContract", "type": "address"},
    ],
    "Person": [
        {"name": "name", "type": "string"},
        {"name": "wallet", "type": "address"},
    ],
    "Mail": [
        {"name": "from", "type": "Person"},
        {"name": "to", "type": "Person"},
        {"name": "contents", "type": "string"},
    ],
}


def domain_separator(name, version, chain_id, contract):
    return keccak(eth_abi.encode(
        ["bytes32", "bytes32", "bytes32", "uint256", "address"],
        [keccak(text=DOMAIN_TYPE), keccak(text=name), keccak(text=version), chain_id, contract],
    ))


def eip712_mail():
    domain = {"name": "Ether Mail", "version": "1", "chainId": 1,
              "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"}
    message = {
        "from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
        "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
        "contents": "Hello, Bob!",
    }
    full = {"types": MAIL_TYPES, "primaryType": "Mail", "domain": domain, "message": message}
    signable = encode_typed_data(full_message=full)
    check(signable.version == b"\x01", "EIP-712 signable version byte")
    dsep, shash = bytes(signable.header), bytes(signable.body)
    digest = bytes(_hash_eip191_message(signable))
    check(digest == keccak(b"\x19\x01" + dsep + shash), "EIP-712 digest composition")
    check(hx(digest) == "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2",
          "EIP-712 Mail digest differs from the EIP's published value: %s" % hx(digest))
    check(hx(dsep) == "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f",
          "EIP-712 Mail domain separator differs from the EIP's published value")
    check(hx(shash) == "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e",
          "EIP-712 Mail struct hash differs from the EIP's published value")
    check(dsep == domain_separator("Ether Mail", "1", 1, domain["verifyingContract"]), "Mail domain independent")
    person_t = "Person(string name,address wallet)"
    mail_t = "Mail(Person from,Person to,string contents)" + person_t

    def person_hash(p):
        return keccak(eth_abi.encode(["bytes32", "bytes32", "address"],
                                     [keccak(text=person_t), keccak(text=p["name"]), p["wallet"]]))
    indep = keccak(eth_abi.encode(["bytes32", "bytes32", "bytes32", "bytes32"],
                                  [keccak(text=mail_t), person_hash(message["from"]), person_hash(message["to"]),
                                   keccak(text=message["contents"])]))
    check(indep == shash, "Mail struct hash independent")
    key = KEYS["cow"]
    signed = Account.sign_message(signable, key)
    check(bytes(signed.message_hash) == digest, "Mail signed hash")
    check(signed.v == 28
          and b32(signed.r) == "0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d"
          and b32(signed.s) == "0x07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562",
          "EIP-712 Mail signature differs from the EIP's published v/r/s")
    check(Account.recover_message(signable, signature=signed.signature) == message["from"]["wallet"],
          "Mail recover_message")
    sig = bytes(signed.signature)
    check(sig == signed.r.to_bytes(32, "big") + signed.s.to_bytes(32, "big") + bytes([signed.v]), "Mail sig layout")
    return {
        "domain": {"name": domain["name"], "version": domain["version"], "chain_id": dec(domain["chainId"]),
                   "verifying_contract": domain["verifyingContract"]},
        "message": {"from": message["from"], "to": message["to"], "contents": message["contents"]},
        "private_key": key_hex(key),
        "signer": address_of(key),
        "domain_separator": hx(dsep),
        "struct_hash": hx(shash),
        "digest": hx(digest),
        "v": dec(signed.v),
        "r": b32(signed.r),
        "s": b32(signed.s),
        "signature": hx(sig),
    }


TWA_TYPES = {
    "EIP712Domain": MAIL_TYPES["EIP712Domain"],
    "TransferWithAuthorization": [
        {"name": "from", "type": "address"},
        {"name": "to", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "validAfter", "type": "uint256"},
        {"name": "validBefore", "type": "uint256"},
        {"name": "nonce", "type": "bytes32"},
    ],
}


def twa_typed_data(network, frm, to, value, valid_after, valid_before, nonce):
    d = USDC[network]
    return {
        "types": TWA_TYPES,
        "primaryType": "TransferWithAuthorization",
        "domain": {"name": d["domain_name"], "version": d["domain_version"], "chainId": d["chain_id"],
                   "verifyingContract": d["verifying_contract"]},
        "message": {"from": frm, "to": to, "value": value, "validAfter": valid_after,
                    "validBefore": valid_before, "nonce": nonce},
    }


def eip3009_vector(desc, network, key, to, value, valid_after, valid_before, nonce):
    d = USDC[network]
    frm = address_of(key)
    signable = encode_typed_data(full_message=twa_typed_data(network, frm, to, value, valid_after, valid_before, nonce))
    dsep, shash = bytes(signable.header), bytes(signable.body)
    digest = bytes(_hash_eip191_message(signable))
    check(dsep == domain_separator(d["domain_name"], d["domain_version"], d["chain_id"], d["verifying_contract"]),
          "%s: domain separator independent" % desc)
    indep = keccak(eth_abi.encode(
        ["bytes32", "address", "address", "uint256", "uint256", "uint256", "bytes32"],
        [keccak(text=TWA_TYPE), frm, to, value, valid_after, valid_before, nonce]))
    check(indep == shash, "%s: struct hash independent" % desc)
    check(digest == keccak(b"\x19\x01" + dsep + shash), "%s: digest composition" % desc)
    signed = Account.sign_message(signable, key)
    check(bytes(signed.message_hash) == digest, "%s: signed hash" % desc)
    check(signed.v in (27, 28), "%s: v %d" % (desc, signed.v))
    check(low_s(signed.s), "%s: high s" % desc)
    sig = bytes(signed.signature)
    check(len(sig) == 65 and sig == signed.r.to_bytes(32, "big") + signed.s.to_bytes(32, "big") + bytes([signed.v]),
          "%s: signature layout" % desc)
    check(Account.recover_message(signable, signature=sig) == frm, "%s: recover_message" % desc)
    check(recover_address(digest, signed.v - 27, signed.r, signed.s) == frm, "%s: recover from digest" % desc)
    return {
        "description": desc,
        "network": network,
        "chain_id": dec(d["chain_id"]),
        "verifying_contract": d["verifying_contract"],
        "domain_name": d["domain_name"],
        "domain_version": d["domain_version"],
        "private_key": key_hex(key),
        "from": frm,
        "to": to_checksum_address(to),
        "value": dec(value),
        "valid_after": dec(valid_after),
        "valid_before": dec(valid_before),
        "nonce": hx(nonce),
        "domain_separator": hx(dsep),
        "struct_hash": hx(shash),
        "digest": hx(digest),
        "v": dec(signed.v),
        "r": b32(signed.r),
        "s": b32(signed.s),
        "signature": hx(sig),
    }


def eip3009_vectors():
    n = lambda i: keccak(b"eip3009 nonce %d" % i)
    payee = address_of(KEYS["fixture3"])
    out = [
        eip3009_vector("Base: 1.00 USDC, 1-hour window", "base", KEYS["fixture1"], payee,
                       1_000_000, 1_767_225_600, 1_767_229_200, n(0)),
        eip3009_vector("Base: 0.01 USDC, valid_after 0", "base", KEYS["fixture2"], payee,
                       10_000, 0, 1_800_000_000, n(1)),
        eip3009_vector("Base: value and valid_before at uint256 max, zero nonce", "base", KEYS["web3_docs"],
                       "0x0000000000000000000000000000000000000001", UINT256_MAX, 0, UINT256_MAX, bytes(32)),
        eip3009_vector("Base: zero value, nonce all 0xff", "base", KEYS["cow"], payee,
                       0, 1_700_000_000, 1_700_000_060, b"\xff" * 32),
        eip3009_vector("Base Sepolia: 1.00 USDC, 1-hour window", "base-sepolia", KEYS["fixture1"], payee,
                       1_000_000, 1_767_225_600, 1_767_229_200, n(0)),
        eip3009_vector("Base Sepolia: 123.456789 USDC", "base-sepolia", KEYS["fixture2"], address_of(KEYS["fixture1"]),
                       123_456_789, 1_750_000_000, 1_750_000_600, n(2)),
        eip3009_vector("Base Sepolia: 1 unit, key 1", "base-sepolia", KEYS["one"], payee,
                       1, 0, 4_102_444_800, n(3)),
        eip3009_vector("Base Sepolia: key n-1, large value", "base-sepolia", KEYS["n_minus_1"], payee,
                       10**30, 1, 2**64, n(4)),
    ]
    # Same key, message and nonce on two networks must give different digests.
    check(out[0]["digest"] != out[4]["digest"], "cross-network digests collide")
    return out


def abi_vectors(auths):
    fx1, fx3 = address_of(KEYS["fixture1"]), address_of(KEYS["fixture3"])
    out = [
        abi_entry("transfer(address,uint256)", [fx3, 1_000_000]),
        abi_entry("transfer(address,uint256)", ["0x0000000000000000000000000000000000000000", 0]),
        abi_entry("transfer(address,uint256)", [USDC["base"]["verifying_contract"], UINT256_MAX]),
        abi_entry("balanceOf(address)", [fx1]),
        abi_entry("balanceOf(address)", ["0xFFfFfFffFFfffFFfFFfFFFFFffFFFffffFfFFFfF"]),
        abi_entry("authorizationState(address,bytes32)", [fx1, keccak(b"eip3009 nonce 0")]),
        abi_entry("authorizationState(address,bytes32)", ["0x0000000000000000000000000000000000000001", bytes(32)]),
    ]
    for a in auths[:1] + auths[4:5]:
        out.append(abi_entry(
            "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)",
            [a["from"], a["to"], int(a["value"]), int(a["valid_after"]), int(a["valid_before"]),
             bytes.fromhex(a["nonce"][2:]), int(a["v"]), bytes.fromhex(a["r"][2:]), bytes.fromhex(a["s"][2:])]))
    for e in out:
        check(e["selector"] == KNOWN_SELECTORS[e["signature"]], "selector for %s" % e["signature"])
    return out


# ---------------------------------------------------------------- recover

def recover_vectors(legacy, txs, mail, auths):
    out = []

    def add(desc, h, rid, r, s, addr):
        check(recover_address(bytes.fromhex(h[2:]), rid, int(r, 16), int(s, 16)) == addr, "recover %s" % desc)
        out.append({"description": desc, "hash": h, "v": dec(27 + rid), "recovery_id": dec(rid),
                    "r": r, "s": s, "address": addr})

    e = legacy[0]
    add("EIP-155 example signing hash", e["signing_hash"], int(e["v"]) - 37, e["r"], e["s"], e["from"])
    for t in txs[:3]:
        add("EIP-1559: " + t["description"], t["signing_hash"], int(t["y_parity"]), t["r"], t["s"], t["from"])
    add("EIP-712 Mail digest", mail["digest"], int(mail["v"]) - 27, mail["r"], mail["s"], mail["signer"])
    for a in auths[:2] + auths[4:5]:
        add("EIP-3009: " + a["description"], a["digest"], int(a["v"]) - 27, a["r"], a["s"], a["from"])
    check(len({o["recovery_id"] for o in out}) == 2, "recover vectors should cover both recovery ids")
    return out


def recover_high_s_vectors(recov):
    """The same signatures with s replaced by n - s and the recovery id flipped.

    A permissive ecrecover (the precompile, eth-keys) still yields the same address;
    a verifier that enforces low s (Ethereum transactions since Homestead, EIP-2) must reject them.
    """
    out = []
    for e in recov[:3]:
        rid = 1 - int(e["recovery_id"])
        s = SECP256K1_N - int(e["s"], 16)
        check(not low_s(s), "high-s construction")
        check(recover_address(bytes.fromhex(e["hash"][2:]), rid, int(e["r"], 16), s) == e["address"],
              "high-s permissive recovery")
        out.append({"description": "high-s twin of: " + e["description"], "hash": e["hash"],
                    "v": dec(27 + rid), "recovery_id": dec(rid), "r": e["r"], "s": b32(s),
                    "permissive_address": e["address"]})
    return out


def type_hashes():
    out = {
        "EIP712Domain": hx(keccak(text=DOMAIN_TYPE)),
        "TransferWithAuthorization": hx(keccak(text=TWA_TYPE)),
        "Person": hx(keccak(text="Person(string name,address wallet)")),
        "Mail": hx(keccak(text="Mail(Person from,Person to,string contents)Person(string name,address wallet)")),
    }
    check(out["EIP712Domain"] == "0x8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f",
          "EIP712Domain type hash")
    check(out["TransferWithAuthorization"] == "0x7c7c6cdb67a18743f49ec6fa9b35f50d52ed05cbed4cc592e13b44501c1a2267",
          "TransferWithAuthorization type hash differs from FiatTokenV2's constant")
    check(out["Mail"] == "0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2", "Mail type hash")
    return out


# ---------------------------------------------------------------- main

def main():
    version = check_pins()
    legacy = legacy_vectors()
    txs = eip1559_vectors()
    mail = eip712_mail()
    auths = eip3009_vectors()
    recov = recover_vectors(legacy, txs, mail, auths)
    doc = {
        "generator": "eth-account %s via Fixtures/ethereum/make_fixtures.py" % version,
        "keccak": keccak_vectors(),
        "addresses": address_vectors(),
        "checksum": checksum_vectors(),
        "rlp": rlp_vectors(),
        "legacy_eip155": legacy,
        "eip1559": txs,
        "abi": abi_vectors(auths),
        "eip712_type_hashes": type_hashes(),
        "eip712_mail": mail,
        "eip3009": auths,
        "recover": recov,
        "recover_high_s": recover_high_s_vectors(recov),
    }
    text = json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    # No floats or bare ints anywhere: every number is a decimal string.
    def walk(v):
        if isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        else:
            check(isinstance(v, str), "non-string leaf %r" % (v,))
            if v.startswith("0x") and not is_checksum_address(v):
                check(v == v.lower() and len(v) % 2 == 0, "hex not lowercase/even: %s" % v)
    walk(doc)
    tmp = OUT_PATH + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, OUT_PATH)
    counts = ", ".join("%s %d" % (k, len(v)) for k, v in doc.items() if isinstance(v, list))
    print("wrote %s (%s)" % (os.path.relpath(OUT_PATH), counts))


if __name__ == "__main__":
    main()
