#!/usr/bin/env python3
"""Build x402 "exact" EVM test vectors (Base Sepolia) with coinbase's own x402 package.

Every X-PAYMENT / PAYMENT-SIGNATURE header in payments.json is produced by the x402
package's client code path:

    x402HTTPClientSync.handle_402_response(headers, body, url)
      -> x402ClientSync.create_payment_payload(...)
      -> ExactEvmSchemeV1 / ExactEvmScheme.create_payment_payload(...)   (EIP-3009 + EIP-712 signing)
      -> encode_payment_signature_header(...)                             (base64 of pydantic JSON)

Nothing here re-implements signing. The script only fixes the two inputs the client takes from
its environment, by replacing module globals of the x402 client modules:
  * `time` in x402.mechanisms.evm.exact.client / .v1.client  -> fixed clock (NOW)
  * `create_nonce` in the same modules                       -> nonce derived from the case id
(use --live to leave both alone: real clock, os.urandom nonces).

Then, for every case, it cross-checks:
  * eth-account: encode_typed_data + _hash_eip191_message digest == x402's own
    hash_eip3009_authorization digest, and Account._recover_hash(digest, sig) == payer for
    "valid" cases and != payer (against the server's domain) for "invalid_signature" cases;
  * x402's own facilitator (x402FacilitatorSync + register_exact_evm_facilitator) verifies each
    case against the server's requirements, on a stub chain (payer has no code, asset has code,
    transfer simulation succeeds), with its clock set to NOW: valid -> isValid, invalid ->
    invalid_exact_evm_payload_signature;
  * v2: x402's resource-server matching (accepted vs advertised requirements).

Usage:  python make_fixtures.py [--out DIR] [--live]
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import types
from importlib.metadata import version as pkg_version
from pathlib import Path

from eth_account import Account
from eth_account.messages import _hash_eip191_message, encode_typed_data
from eth_utils import keccak

import x402.mechanisms.evm.exact.client as exact_client_v2
import x402.mechanisms.evm.exact.facilitator as exact_facilitator_v2
import x402.mechanisms.evm.exact.v1.client as exact_client_v1
import x402.mechanisms.evm.exact.v1.facilitator as exact_facilitator_v1
from x402 import x402ClientSync, x402FacilitatorSync, x402ResourceServerSync
from x402.http import (
    PAYMENT_REQUIRED_HEADER,
    PAYMENT_RESPONSE_HEADER,
    PAYMENT_SIGNATURE_HEADER,
    X_PAYMENT_HEADER,
    X_PAYMENT_RESPONSE_HEADER,
    decode_payment_signature_header,
    encode_payment_required_header,
    encode_payment_response_header,
    encode_payment_signature_header,
    safe_base64_decode,
    x402HTTPClientSync,
)
from x402.mechanisms.evm.eip712 import hash_eip3009_authorization
from x402.mechanisms.evm.exact import (
    register_exact_evm_client,
    register_exact_evm_facilitator,
    register_exact_evm_server,
)
from x402.mechanisms.evm.types import ExactEIP3009Payload
from x402.schemas import (
    PaymentPayload,
    PaymentPayloadV1,
    PaymentRequirements,
    PaymentRequirementsV1,
    ResourceInfo,
    SettleResponse,
    SupportedKind,
    SupportedResponse,
)
from x402.schemas.config import ResourceConfig
from x402.server_base import _payment_requirements_match_accepted

# --------------------------------------------------------------------------------------------
# Fixed inputs
# --------------------------------------------------------------------------------------------

PAYER_KEY = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"  # throwaway
# The marketplace's hot wallet in the Swift interop test; its throwaway key is
# 0x0123456789abcdef repeated four times, so the test can settle what these payments authorize.
PAY_TO = "0xFCAd0B19bB29D4674531d6f115237E16AfCE377c"

NOW = 1767225600  # 2026-01-01T00:00:00Z: the clock the client (and x402's verifier) is given

BASE_SEPOLIA_V1 = "base-sepolia"
BASE_SEPOLIA_V2 = "eip155:84532"
BASE_SEPOLIA_CHAIN_ID = 84532
BASE_SEPOLIA_USDC = "0x036CbD53842c5426634e7929541eC2318f3dCF7e"
BASE_SEPOLIA_DOMAIN_EXTRA = {"name": "USDC", "version": "2"}

BASE_MAINNET_V1 = "base"
BASE_MAINNET_V2 = "eip155:8453"
BASE_MAINNET_CHAIN_ID = 8453
BASE_MAINNET_USDC = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"
BASE_MAINNET_DOMAIN_EXTRA = {"name": "USD Coin", "version": "2"}

RESOURCE_URL = "https://api.example.com/premium/report"

EIP712_TYPES = {
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

V1_CHAIN_IDS = {BASE_SEPOLIA_V1: BASE_SEPOLIA_CHAIN_ID, BASE_MAINNET_V1: BASE_MAINNET_CHAIN_ID}


def chain_id_of(network: str) -> int:
    if network.startswith("eip155:"):
        return int(network.split(":", 1)[1])
    return V1_CHAIN_IDS[network]


# --------------------------------------------------------------------------------------------
# Determinism: patch the names the x402 client modules read
# --------------------------------------------------------------------------------------------


class Environment:
    """Fixes clock and nonce as seen by x402's client and facilitator modules."""

    def __init__(self, live: bool):
        self.live = live
        self._orig = {
            (exact_client_v1, "time"): exact_client_v1.time,
            (exact_client_v1, "create_nonce"): exact_client_v1.create_nonce,
            (exact_client_v2, "time"): exact_client_v2.time,
            (exact_client_v2, "create_nonce"): exact_client_v2.create_nonce,
            (exact_facilitator_v1, "time"): exact_facilitator_v1.time,
            (exact_facilitator_v2, "time"): exact_facilitator_v2.time,
        }
        self.nonces_handed_out: list[str] = []

    def now(self) -> int:
        import time

        return int(time.time()) if self.live else NOW

    def prepare_case(self, case_id: str) -> None:
        if self.live:
            return
        fixed_clock = types.SimpleNamespace(time=lambda: float(NOW))
        nonce = "0x" + keccak(text=f"x402-fixture-nonce:{case_id}").hex()

        def fixed_nonce() -> str:
            self.nonces_handed_out.append(nonce)
            return nonce

        for mod in (exact_client_v1, exact_client_v2, exact_facilitator_v1, exact_facilitator_v2):
            mod.time = fixed_clock
        for mod in (exact_client_v1, exact_client_v2):
            mod.create_nonce = fixed_nonce

    def restore(self) -> None:
        for (mod, name), value in self._orig.items():
            setattr(mod, name, value)


# --------------------------------------------------------------------------------------------
# Stub chain for x402's own facilitator (no RPC)
# --------------------------------------------------------------------------------------------


class StubChainSigner:
    """FacilitatorEvmSigner stand-in: EOA payer (no code), token has code, simulations pass."""

    def __init__(self, token_addresses: list[str]):
        self._tokens = {a.lower() for a in token_addresses}

    def get_addresses(self) -> list[str]:
        return ["0x0000000000000000000000000000000000000001"]

    def get_code(self, address: str) -> bytes:
        return b"\x60\x80" if address.lower() in self._tokens else b""

    def read_contract(self, *args, **kwargs):  # transferWithAuthorization eth_call: succeeds
        return None

    def get_chain_id(self) -> int:
        return BASE_SEPOLIA_CHAIN_ID


def make_facilitator() -> x402FacilitatorSync:
    fac = x402FacilitatorSync()
    register_exact_evm_facilitator(
        fac, StubChainSigner([BASE_SEPOLIA_USDC, BASE_MAINNET_USDC]), networks=[BASE_SEPOLIA_V2]
    )
    return fac


# --------------------------------------------------------------------------------------------
# x402 client and server
# --------------------------------------------------------------------------------------------


def make_http_client() -> x402HTTPClientSync:
    client = x402ClientSync()
    # Registers V2 "eip155:*" and V1 legacy names (incl. "base-sepolia") with an EthAccountSigner.
    register_exact_evm_client(client, Account.from_key(PAYER_KEY))
    # x402 clients by default refuse to pay more than $1 (1000000 atomic USDC) per payment
    # (client_base.DEFAULT_MAX_AMOUNT_PER_PAYMENT). Lift only that cap so 1.05 and 123.45 USDC
    # cases can be built; the asset allow-list (default assets only) stays on.
    client.set_spend_controls({"max_amount_per_payment": False})
    return x402HTTPClientSync(client)


def make_resource_server() -> x402ResourceServerSync:
    class LocalFacilitatorClient:
        def get_supported(self) -> SupportedResponse:
            return SupportedResponse(
                kinds=[SupportedKind(x402_version=2, scheme="exact", network=BASE_SEPOLIA_V2)]
            )

        def verify(self, *a, **k):  # not used
            raise NotImplementedError

        def settle(self, *a, **k):  # not used
            raise NotImplementedError

    server = x402ResourceServerSync(LocalFacilitatorClient())
    register_exact_evm_server(server, BASE_SEPOLIA_V2)
    server.initialize()
    return server


# --------------------------------------------------------------------------------------------
# Digests with eth-account
# --------------------------------------------------------------------------------------------


def typed_data_for(auth: dict, chain_id: int, asset: str, name: str, version: str) -> dict:
    return {
        "types": EIP712_TYPES,
        "primaryType": "TransferWithAuthorization",
        "domain": {
            "name": name,
            "version": version,
            "chainId": chain_id,
            "verifyingContract": asset,
        },
        "message": {
            "from": auth["from"],
            "to": auth["to"],
            "value": int(auth["value"]),
            "validAfter": int(auth["validAfter"]),
            "validBefore": int(auth["validBefore"]),
            "nonce": auth["nonce"],
        },
    }


def eip712_record(auth: dict, chain_id: int, asset: str, name: str, version: str) -> dict:
    typed = typed_data_for(auth, chain_id, asset, name, version)
    signable = encode_typed_data(full_message=typed)
    digest = _hash_eip191_message(signable)
    # x402's own EIP-712 implementation must agree with eth-account.
    x402_digest = hash_eip3009_authorization(
        ExactEIP3009Payload.from_dict({"authorization": auth}).authorization,
        chain_id,
        asset,
        name,
        version,
    )
    assert bytes(digest) == bytes(x402_digest), "x402 and eth-account EIP-712 digests differ"
    shown = json.loads(json.dumps(typed))
    for key in ("value", "validAfter", "validBefore"):
        shown["message"][key] = str(shown["message"][key])  # decimal strings (uint256) in JSON
    return {
        "typed_data": shown,
        "domain_separator": "0x" + bytes(signable.header).hex(),
        "struct_hash": "0x" + bytes(signable.body).hex(),
        "digest": "0x" + bytes(digest).hex(),
    }


def split_signature(sig_hex: str) -> dict:
    raw = bytes.fromhex(sig_hex.removeprefix("0x"))
    assert len(raw) == 65, f"expected 65-byte signature, got {len(raw)}"
    return {"r": "0x" + raw[:32].hex(), "s": "0x" + raw[32:64].hex(), "v": raw[64]}


def recover(digest_hex: str, sig_hex: str) -> str:
    return Account._recover_hash(bytes.fromhex(digest_hex[2:]), signature=sig_hex)


# --------------------------------------------------------------------------------------------
# Case builders
# --------------------------------------------------------------------------------------------


def v1_requirements(
    amount: str,
    timeout: int,
    *,
    network: str = BASE_SEPOLIA_V1,
    asset: str = BASE_SEPOLIA_USDC,
    extra: dict | None = None,
    description: str | None = "Premium report",
    mime_type: str | None = "application/json",
    output_schema: dict | None = None,
) -> dict:
    req: dict = {
        "scheme": "exact",
        "network": network,
        "maxAmountRequired": amount,
        "resource": RESOURCE_URL,
    }
    if description is not None:
        req["description"] = description
    if mime_type is not None:
        req["mimeType"] = mime_type
    req["payTo"] = PAY_TO
    req["maxTimeoutSeconds"] = timeout
    req["asset"] = asset
    if output_schema is not None:
        req["outputSchema"] = output_schema
    req["extra"] = dict(extra if extra is not None else BASE_SEPOLIA_DOMAIN_EXTRA)
    return req


def v2_requirements(
    amount: str,
    timeout: int,
    *,
    network: str = BASE_SEPOLIA_V2,
    asset: str = BASE_SEPOLIA_USDC,
    extra: dict | None = None,
) -> dict:
    return {
        "scheme": "exact",
        "network": network,
        "asset": asset,
        "amount": amount,
        "payTo": PAY_TO,
        "maxTimeoutSeconds": timeout,
        "extra": dict(extra if extra is not None else BASE_SEPOLIA_DOMAIN_EXTRA),
    }


def v2_payment_required(requirements: dict, resource: dict | None, error: str) -> dict:
    pr: dict = {"x402Version": 2, "error": error}
    if resource is not None:
        pr["resource"] = resource
    pr["accepts"] = [requirements]
    return pr


def client_pay(http: x402HTTPClientSync, version: int, payment_required: dict):
    """Feed a 402 to the x402 HTTP client exactly as it would arrive on the wire."""
    if version == 1:
        headers = {"Content-Type": "application/json"}
        body = json.dumps(payment_required).encode("utf-8")
        payment_required_header = None
    else:
        from x402.schemas import PaymentRequired

        payment_required_header = encode_payment_required_header(
            PaymentRequired.model_validate(payment_required)
        )
        headers = {"Content-Type": "application/json", PAYMENT_REQUIRED_HEADER: payment_required_header}
        body = b"{}"
    out_headers, payload = http.handle_402_response(headers, body, RESOURCE_URL)
    assert len(out_headers) == 1, out_headers
    (header_name, header_value), = out_headers.items()
    return header_name, header_value, payload, payment_required_header


def build_cases(env: Environment) -> list[dict]:
    http = make_http_client()
    server = make_resource_server()
    payer = Account.from_key(PAYER_KEY).address
    cases: list[dict] = []

    def finish(case: dict) -> dict:
        decoded_json = safe_base64_decode(case["header_value"])
        case["header_json"] = decoded_json
        case["decoded"] = json.loads(decoded_json)
        return case

    # ---------------- valid v1 ----------------
    v1_valid = [
        ("v1-1050000-60s", v1_requirements("1050000", 60)),
        (
            "v1-1-300s",
            v1_requirements(
                "1",
                300,
                description="One atomic unit",
                mime_type="text/plain",
                output_schema={"input": {"type": "http", "method": "GET"}, "output": None},
            ),
        ),
        ("v1-123456789-3600s", v1_requirements("123456789", 3600, description=None, mime_type=None)),
    ]
    for case_id, req in v1_valid:
        env.prepare_case(case_id)
        payment_required = {"x402Version": 1, "error": "X-PAYMENT header is required", "accepts": [req]}
        name, value, _payload, _ = client_pay(http, 1, payment_required)
        cases.append(
            finish(
                {
                    "id": case_id,
                    "version": 1,
                    "expect": "valid",
                    "description": "Payload built by x402's v1 client for a base-sepolia USDC requirement.",
                    "now": env.now(),
                    "payment_required": payment_required,
                    "payment_required_header": None,
                    "requirements": req,
                    "server_requirements": req,
                    "header_name": name,
                    "header_value": value,
                }
            )
        )

    # ---------------- valid v2 ----------------
    # (a) 402 built by x402's own resource server (price "$1.05", 60 s), then paid by the client.
    case_id = "v2-1050000-60s-server-built-402"
    env.prepare_case(case_id)
    built = server.build_payment_requirements(
        ResourceConfig(
            scheme="exact", pay_to=PAY_TO, price="$1.05", network=BASE_SEPOLIA_V2, max_timeout_seconds=60
        )
    )
    pr_model = server.create_payment_required_response(
        built,
        ResourceInfo(url=RESOURCE_URL, description="", mime_type=""),  # what x402's HTTP server sends by default
        "Payment required",
    )
    payment_required = pr_model.model_dump(by_alias=True, exclude_none=True)
    req = payment_required["accepts"][0]
    name, value, _payload, pr_header = client_pay(http, 2, payment_required)
    assert pr_header == encode_payment_required_header(pr_model)
    cases.append(
        finish(
            {
                "id": case_id,
                "version": 2,
                "expect": "valid",
                "description": "402 produced by x402's resource server (price '$1.05'), paid by x402's v2 client.",
                "now": env.now(),
                "payment_required": payment_required,
                "payment_required_header": pr_header,
                "requirements": req,
                "server_requirements": req,
                "header_name": name,
                "header_value": value,
            }
        )
    )

    v2_valid = [
        (
            "v2-1-300s",
            v2_requirements("1", 300),
            {"url": RESOURCE_URL, "description": "One atomic unit", "mimeType": "text/plain"},
        ),
        (
            "v2-123456789-3600s-utf8-resource",
            v2_requirements("123456789", 3600),
            {"url": RESOURCE_URL, "description": "Café ☕ report — non-ASCII", "mimeType": "application/json"},
        ),
        ("v2-1050000-60s-no-resource", v2_requirements("1050000", 60), None),
    ]
    for case_id, req, resource in v2_valid:
        env.prepare_case(case_id)
        payment_required = v2_payment_required(req, resource, "Payment required")
        name, value, _payload, pr_header = client_pay(http, 2, payment_required)
        cases.append(
            finish(
                {
                    "id": case_id,
                    "version": 2,
                    "expect": "valid",
                    "description": "Payload built by x402's v2 client for an eip155:84532 USDC requirement.",
                    "now": env.now(),
                    "payment_required": payment_required,
                    "payment_required_header": pr_header,
                    "requirements": req,
                    "server_requirements": req,
                    "header_name": name,
                    "header_value": value,
                }
            )
        )

    # ---------------- invalid: signature over another chain's / token's EIP-712 domain ---------
    # v1 (a): client pays a Base *mainnet* requirement (chainId 8453, "USD Coin", mainnet USDC);
    # the signed payload is then presented as a base-sepolia payment (only the top-level network
    # is changed; authorization + signature are byte-for-byte what the client produced).
    case_id = "v1-invalid-signed-for-base-mainnet"
    env.prepare_case(case_id)
    signed_req = v1_requirements(
        "1050000", 300, network=BASE_MAINNET_V1, asset=BASE_MAINNET_USDC, extra=BASE_MAINNET_DOMAIN_EXTRA
    )
    server_req = v1_requirements("1050000", 300)
    payment_required = {"x402Version": 1, "error": "X-PAYMENT header is required", "accepts": [signed_req]}
    _n, _v, payload, _ = client_pay(http, 1, payment_required)
    forged = PaymentPayloadV1(x402_version=1, scheme="exact", network=BASE_SEPOLIA_V1, payload=payload.payload)
    cases.append(
        finish(
            {
                "id": case_id,
                "version": 1,
                "expect": "invalid_signature",
                "description": "Authorization signed by x402's client for Base mainnet USDC (chainId 8453, "
                "name 'USD Coin', 0x8335…2913); re-labelled network 'base-sepolia'. Recovering against the "
                "Base Sepolia domain yields a different address.",
                "now": env.now(),
                "payment_required": payment_required,
                "payment_required_header": None,
                "requirements": signed_req,
                "server_requirements": server_req,
                "header_name": X_PAYMENT_HEADER,
                "header_value": encode_payment_signature_header(forged),
            }
        )
    )

    # v1 (b): base-sepolia requirement whose extra claims name "USD Coin" (mainnet's name).
    # The header is exactly what the client sent; only the server's own domain differs.
    case_id = "v1-invalid-domain-name-usd-coin"
    env.prepare_case(case_id)
    signed_req = v1_requirements("123456789", 60, extra=BASE_MAINNET_DOMAIN_EXTRA)
    server_req = v1_requirements("123456789", 60)
    payment_required = {"x402Version": 1, "error": "X-PAYMENT header is required", "accepts": [signed_req]}
    name, value, _payload, _ = client_pay(http, 1, payment_required)
    cases.append(
        finish(
            {
                "id": case_id,
                "version": 1,
                "expect": "invalid_signature",
                "description": "Signed on chainId 84532 / Base Sepolia USDC but with domain name 'USD Coin' "
                "(Base mainnet's). Header is unmodified client output; server's domain name is 'USDC'.",
                "now": env.now(),
                "payment_required": payment_required,
                "payment_required_header": None,
                "requirements": signed_req,
                "server_requirements": server_req,
                "header_name": name,
                "header_value": value,
            }
        )
    )

    # v2 (a): signed for eip155:8453 mainnet USDC, re-wrapped with accepted = the sepolia requirement.
    case_id = "v2-invalid-signed-for-base-mainnet"
    env.prepare_case(case_id)
    signed_req = v2_requirements(
        "1050000", 300, network=BASE_MAINNET_V2, asset=BASE_MAINNET_USDC, extra=BASE_MAINNET_DOMAIN_EXTRA
    )
    server_req = v2_requirements("1050000", 300)
    resource = {"url": RESOURCE_URL, "description": "Premium report", "mimeType": "application/json"}
    payment_required = v2_payment_required(signed_req, resource, "Payment required")
    _n, _v, payload, pr_header = client_pay(http, 2, payment_required)
    forged2 = PaymentPayload(
        x402_version=2,
        payload=payload.payload,
        accepted=PaymentRequirements.model_validate(server_req),
        resource=payload.resource,
    )
    cases.append(
        finish(
            {
                "id": case_id,
                "version": 2,
                "expect": "invalid_signature",
                "description": "Authorization signed by x402's client for eip155:8453 USDC ('USD Coin'); "
                "re-wrapped with accepted = the eip155:84532 requirement, so only the signature is wrong.",
                "now": env.now(),
                "payment_required": payment_required,
                "payment_required_header": pr_header,
                "requirements": signed_req,
                "server_requirements": server_req,
                "header_name": PAYMENT_SIGNATURE_HEADER,
                "header_value": encode_payment_signature_header(forged2),
            }
        )
    )

    # v2 (b): eip155:84532 requirement with extra.name "USD Coin"; re-wrapped with the server's
    # accepted (name "USDC") so accepted-matching passes and only the signature is wrong.
    case_id = "v2-invalid-domain-name-usd-coin"
    env.prepare_case(case_id)
    signed_req = v2_requirements("1", 3600, extra=BASE_MAINNET_DOMAIN_EXTRA)
    server_req = v2_requirements("1", 3600)
    payment_required = v2_payment_required(signed_req, resource, "Payment required")
    _n, _v, payload, pr_header = client_pay(http, 2, payment_required)
    forged3 = PaymentPayload(
        x402_version=2,
        payload=payload.payload,
        accepted=PaymentRequirements.model_validate(server_req),
        resource=payload.resource,
    )
    cases.append(
        finish(
            {
                "id": case_id,
                "version": 2,
                "expect": "invalid_signature",
                "description": "Signed on chainId 84532 / Base Sepolia USDC with domain name 'USD Coin'; "
                "accepted replaced by the server's requirement (name 'USDC').",
                "now": env.now(),
                "payment_required": payment_required,
                "payment_required_header": pr_header,
                "requirements": signed_req,
                "server_requirements": server_req,
                "header_name": PAYMENT_SIGNATURE_HEADER,
                "header_value": encode_payment_signature_header(forged3),
            }
        )
    )

    # ---------------- per-case cross-checks ----------------
    facilitator = make_facilitator()
    for case in cases:
        decoded = case["decoded"]
        inner = decoded["payload"]
        auth = inner["authorization"]
        sig = inner["signature"]
        case["signer"] = payer
        case["signature_parts"] = split_signature(sig)
        assert auth["from"] == payer

        srv = case["server_requirements"]
        signed = case["requirements"]
        srv_net = srv["network"]
        case["eip712"] = eip712_record(
            auth, chain_id_of(srv_net), srv["asset"], srv["extra"]["name"], srv["extra"]["version"]
        )
        recovered = recover(case["eip712"]["digest"], sig)
        case["recovered_from_digest"] = recovered
        if case["expect"] == "valid":
            assert recovered == payer, (case["id"], recovered)
        else:
            assert recovered != payer, case["id"]
            case["eip712_actually_signed"] = eip712_record(
                auth,
                chain_id_of(signed["network"]),
                signed["asset"],
                signed["extra"]["name"],
                signed["extra"]["version"],
            )
            assert recover(case["eip712_actually_signed"]["digest"], sig) == payer, case["id"]

        # The header decodes through x402's own decoder.
        parsed = decode_payment_signature_header(case["header_value"])
        assert parsed.x402_version == case["version"]

        # x402's own facilitator, with its clock at `now`.
        if case["version"] == 1:
            result = facilitator.verify(parsed, PaymentRequirementsV1.model_validate(srv))
        else:
            srv_model = PaymentRequirements.model_validate(srv)
            result = facilitator.verify(parsed, srv_model)
            case["x402_resource_server_accepted_matches"] = _payment_requirements_match_accepted(
                srv_model, parsed.accepted
            )
            assert case["x402_resource_server_accepted_matches"], case["id"]
        case["x402_facilitator_verify"] = result.model_dump(by_alias=True, exclude_none=True)
        if case["expect"] == "valid":
            assert result.is_valid, (case["id"], result)
        else:
            assert not result.is_valid and result.invalid_reason == "invalid_exact_evm_payload_signature", (
                case["id"],
                result,
            )

        # Timing fields chosen by the client.
        if case["version"] == 1:
            assert int(auth["validAfter"]) == case["now"] - 600
        else:
            assert auth["validAfter"] == "0"
        assert int(auth["validBefore"]) == case["now"] + signed["maxTimeoutSeconds"]

    if not env.live:
        # every case consumed exactly one patched nonce, and the payloads carry them
        assert len(env.nonces_handed_out) == len(cases)
        assert [c["decoded"]["payload"]["authorization"]["nonce"] for c in cases] == env.nonces_handed_out

    # stable key order in the output
    order = [
        "id", "version", "expect", "description", "now", "signer",
        "payment_required", "payment_required_header", "requirements", "server_requirements",
        "header_name", "header_value", "header_json", "decoded", "signature_parts",
        "eip712", "recovered_from_digest", "eip712_actually_signed",
        "x402_resource_server_accepted_matches", "x402_facilitator_verify",
    ]
    return [{k: c[k] for k in order if k in c} for c in cases]


def build_responses() -> list[dict]:
    """X-PAYMENT-RESPONSE / PAYMENT-RESPONSE examples via x402's encode_payment_response_header."""
    payer = Account.from_key(PAYER_KEY).address
    tx = "0x" + keccak(text="x402-fixture-tx").hex()
    examples = [
        ("v1-success", 1, SettleResponse(success=True, transaction=tx, network=BASE_SEPOLIA_V1, payer=payer)),
        (
            "v1-failure",
            1,
            SettleResponse(
                success=False,
                error_reason="invalid_exact_evm_payload_signature",
                transaction="",
                network=BASE_SEPOLIA_V1,
                payer=payer,
            ),
        ),
        ("v2-success", 2, SettleResponse(success=True, transaction=tx, network=BASE_SEPOLIA_V2, payer=payer)),
        (
            "v2-success-with-amount",
            2,
            SettleResponse(success=True, transaction=tx, network=BASE_SEPOLIA_V2, payer=payer, amount="1050000"),
        ),
        (
            "v2-failure",
            2,
            SettleResponse(
                success=False,
                error_reason="invalid_exact_evm_insufficient_balance",
                error_message="transfer amount exceeds balance",
                transaction="",
                network=BASE_SEPOLIA_V2,
                payer=payer,
            ),
        ),
    ]
    out = []
    for rid, ver, resp in examples:
        value = encode_payment_response_header(resp)
        out.append(
            {
                "id": rid,
                "version": ver,
                "header_name": X_PAYMENT_RESPONSE_HEADER if ver == 1 else PAYMENT_RESPONSE_HEADER,
                "header_value": value,
                "header_json": base64.b64decode(value).decode("utf-8"),
                "decoded": json.loads(base64.b64decode(value)),
            }
        )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent), help="output directory")
    ap.add_argument("--live", action="store_true", help="real clock and random nonces (no patching)")
    args = ap.parse_args()

    env = Environment(live=args.live)
    try:
        cases = build_cases(env)
    finally:
        env.restore()
    responses = build_responses()

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "payments.json").write_text(json.dumps(cases, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "payment_responses.json").write_text(
        json.dumps(responses, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(
        f"x402 {pkg_version('x402')}, eth-account {pkg_version('eth-account')}: "
        f"wrote {len(cases)} cases to {out / 'payments.json'} "
        f"({sum(c['expect'] == 'valid' for c in cases)} valid, "
        f"{sum(c['expect'] != 'valid' for c in cases)} invalid_signature), "
        f"{len(responses)} response examples to {out / 'payment_responses.json'}"
        + (" [live clock/nonces]" if args.live else f" [now={NOW}]")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
