#!/usr/bin/env python3
"""Write Fixtures/stripe/webhooks.json: Stripe webhook signature test vectors.

Every signature is computed by the official `stripe` package from PyPI
(stripe.WebhookSignature.generate_signature_header / _compute_signature), and
every case's `valid` expectation is confirmed by that package's own
verify_header / construct_event before the file is written. The script aborts
(non-zero exit, nothing written) if any expectation fails.

Run with the pinned venv:
    .build/venv-stripe/bin/pip install -r Fixtures/stripe/requirements.txt
    .build/venv-stripe/bin/python Fixtures/stripe/make_fixtures.py

Output is deterministic: fixed timestamps, fixed secrets, ids derived from
fixed names, so re-running gives a byte-identical file.
"""

import hashlib
import hmac
import importlib.metadata
import json
import os
import sys
from unittest import mock

import stripe
from stripe import SignatureVerificationError, Webhook, WebhookSignature

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_PATH = os.path.join(HERE, "webhooks.json")
REQUIREMENTS_PATH = os.path.join(HERE, "requirements.txt")

TOLERANCE = 300
PRIMARY = "whsec_test_fixture_primary"
ROTATED = "whsec_test_fixture_rotated"
UNKNOWN = "whsec_test_fixture_unknown"
WRONG = "whsec_test_fixture_wrong"
V0_DUMMY = "whsec_test_fixture_v0_dummy"

# 2026-11-02T12:00:00Z; each case gets its own timestamp BASE_T + 60*i.
BASE_T = 1793620800
API_VERSION = stripe.api_version  # the installed package's default API version

STRIPE_VERSION = importlib.metadata.version("stripe")


def fail(msg):
    sys.stderr.write("make_fixtures.py: FAILED: %s\n" % msg)
    sys.exit(1)


def check_pin():
    try:
        with open(REQUIREMENTS_PATH, encoding="utf-8") as f:
            pin = f.read().strip()
    except OSError as e:
        fail("cannot read %s: %s" % (REQUIREMENTS_PATH, e))
    if pin != "stripe==%s" % STRIPE_VERSION:
        fail(
            "requirements.txt says %r but the installed stripe is %s; "
            "install the pinned version" % (pin, STRIPE_VERSION)
        )


# ---------------------------------------------------------------------------
# Deterministic, realistic-looking ids

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def sid(prefix, name, length=24):
    """A Stripe-style id (e.g. evt_1T...) derived from a fixed name."""
    n = int.from_bytes(hashlib.sha256(("%s:%s" % (prefix, name)).encode()).digest(), "big")
    chars = []
    for _ in range(length - 2):
        n, r = divmod(n, 62)
        chars.append(_ALPHABET[r])
    return "%s_1T%s" % (prefix, "".join(chars))


# ---------------------------------------------------------------------------
# Payload builders (key order follows Stripe's own serialisation)


def event(name, etype, created, obj, previous_attributes=None, with_request=True):
    data = {"object": obj}
    if previous_attributes is not None:
        data["previous_attributes"] = previous_attributes
    return {
        "id": sid("evt", name),
        "object": "event",
        "api_version": API_VERSION,
        "created": created,
        "data": data,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {
            "id": sid("req", name, 16) if with_request else None,
            "idempotency_key": None,
        },
        "type": etype,
    }


def checkout_session(
    name,
    created,
    *,
    status="complete",
    payment_status="paid",
    with_payment_intent=True,
    payment_method_types=("card",),
    amount=2750,
):
    task = "tsk_" + sid("x", name + "task", 20)[6:]
    intent = "int_" + sid("x", name + "intent", 20)[6:]
    cs_id = "cs_test_a1" + sid("x", name + "cs", 58)[6:]
    return {
        "id": cs_id,
        "object": "checkout.session",
        "adaptive_pricing": {"enabled": False},
        "after_expiration": None,
        "allow_promotion_codes": None,
        "amount_subtotal": amount,
        "amount_total": amount,
        "automatic_tax": {"enabled": False, "liability": None, "provider": None, "status": None},
        "billing_address_collection": None,
        "cancel_url": "https://ledger.example.test/checkout/cancel?task=%s" % task,
        "client_reference_id": task,
        "client_secret": None,
        "collected_information": None,
        "consent": None,
        "consent_collection": None,
        "created": created,
        "currency": "usd",
        "currency_conversion": None,
        "custom_fields": [],
        "custom_text": {
            "after_submit": None,
            "shipping_address": None,
            "submit": None,
            "terms_of_service_acceptance": None,
        },
        "customer": None,
        "customer_creation": "if_required",
        "customer_details": None
        if status == "expired"
        else {
            "address": {
                "city": None,
                "country": "US",
                "line1": None,
                "line2": None,
                "postal_code": "94107",
                "state": None,
            },
            "email": "buyer@example.test",
            "name": "Test Buyer",
            "phone": None,
            "tax_exempt": "none",
            "tax_ids": [],
        },
        "customer_email": None,
        "discounts": [],
        "expires_at": created + 86400,
        "invoice": None,
        "invoice_creation": {
            "enabled": False,
            "invoice_data": {
                "account_tax_ids": None,
                "custom_fields": None,
                "description": None,
                "footer": None,
                "issuer": None,
                "metadata": {},
                "rendering_options": None,
            },
        },
        "livemode": False,
        "locale": None,
        "metadata": {"task_id": task, "intent_id": intent},
        "mode": "payment",
        "payment_intent": ("pi_test_" + sid("x", name + "pi", 26)[6:]) if with_payment_intent else None,
        "payment_link": None,
        "payment_method_collection": "if_required",
        "payment_method_configuration_details": None,
        "payment_method_options": {"card": {"request_three_d_secure": "automatic"}}
        if "card" in payment_method_types
        else {"us_bank_account": {"verification_method": "automatic"}},
        "payment_method_types": list(payment_method_types),
        "payment_status": payment_status,
        "phone_number_collection": {"enabled": False},
        "recovered_from": None,
        "saved_payment_method_options": None,
        "setup_intent": None,
        "shipping_address_collection": None,
        "shipping_cost": None,
        "shipping_details": None,
        "shipping_options": [],
        "status": status,
        "submit_type": None,
        "subscription": None,
        "success_url": "https://ledger.example.test/checkout/success?session_id={CHECKOUT_SESSION_ID}",
        "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        "ui_mode": "hosted",
        "url": None,
        "wallet_options": None,
    }


def charge(name, created, *, refunded=True, amount=2750):
    ch_id = "ch_" + sid("x", name + "ch", 26)[6:]
    return {
        "id": ch_id,
        "object": "charge",
        "amount": amount,
        "amount_captured": amount,
        "amount_refunded": amount if refunded else 0,
        "application": None,
        "application_fee": None,
        "application_fee_amount": None,
        "balance_transaction": "txn_" + sid("x", name + "txn", 26)[6:],
        "billing_details": {
            "address": {
                "city": None,
                "country": "US",
                "line1": None,
                "line2": None,
                "postal_code": "94107",
                "state": None,
            },
            "email": "buyer@example.test",
            "name": "Test Buyer",
            "phone": None,
            "tax_id": None,
        },
        "calculated_statement_descriptor": "LEDGER TEST",
        "captured": True,
        "created": created,
        "currency": "usd",
        "customer": None,
        "description": None,
        "disputed": False,
        "failure_balance_transaction": None,
        "failure_code": None,
        "failure_message": None,
        "fraud_details": {},
        "livemode": False,
        "metadata": {},
        "on_behalf_of": None,
        "outcome": {
            "advice_code": None,
            "network_advice_code": None,
            "network_decline_code": None,
            "network_status": "approved_by_network",
            "reason": None,
            "risk_level": "normal",
            "risk_score": 32,
            "seller_message": "Payment complete.",
            "type": "authorized",
        },
        "paid": True,
        "payment_intent": "pi_test_" + sid("x", name + "pi", 26)[6:],
        "payment_method": "pm_" + sid("x", name + "pm", 26)[6:],
        "payment_method_details": {
            "card": {
                "amount_authorized": amount,
                "brand": "visa",
                "checks": {
                    "address_line1_check": None,
                    "address_postal_code_check": "pass",
                    "cvc_check": "pass",
                },
                "country": "US",
                "exp_month": 12,
                "exp_year": 2030,
                "funding": "credit",
                "last4": "4242",
                "network": "visa",
            },
            "type": "card",
        },
        "receipt_email": None,
        "receipt_number": None,
        "receipt_url": "https://pay.stripe.com/receipts/payment/fixture-%s" % ch_id,
        "refunded": refunded,
        "review": None,
        "shipping": None,
        "source_transfer": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": "succeeded",
        "transfer_data": None,
        "transfer_group": None,
    }


def refund(name, created, *, status="succeeded", amount=2750):
    obj = {
        "id": "re_" + sid("x", name + "re", 26)[6:],
        "object": "refund",
        "amount": amount,
        "balance_transaction": "txn_" + sid("x", name + "retxn", 26)[6:],
        "charge": "ch_" + sid("x", name + "ch", 26)[6:],
        "created": created,
        "currency": "usd",
        "destination_details": {
            "card": {
                "reference": None if status == "failed" else "7464%s" % (created % 100000000),
                "reference_status": "pending" if status == "failed" else "available",
                "reference_type": "acquirer_reference_number",
                "type": "refund",
            },
            "type": "card",
        },
        "metadata": {"task_id": "tsk_" + sid("x", name + "task", 20)[6:]},
        "payment_intent": "pi_test_" + sid("x", name + "pi", 26)[6:],
        "reason": "requested_by_customer",
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": status,
        "transfer_reversal": None,
    }
    if status == "failed":
        obj["failure_balance_transaction"] = "txn_" + sid("x", name + "failtxn", 26)[6:]
        obj["failure_reason"] = "expired_or_canceled_card"
    return obj


def transfer_reversed(name, created, amount=2750):
    tr_id = "tr_" + sid("x", name + "tr", 26)[6:]
    reversal = {
        "id": "trr_" + sid("x", name + "trr", 26)[6:],
        "object": "transfer_reversal",
        "amount": amount,
        "balance_transaction": "txn_" + sid("x", name + "trrtxn", 26)[6:],
        "created": created,
        "currency": "usd",
        "destination_payment_refund": "pyr_" + sid("x", name + "pyr", 26)[6:],
        "metadata": {},
        "source_refund": None,
        "transfer": tr_id,
    }
    return {
        "id": tr_id,
        "object": "transfer",
        "amount": amount,
        "amount_reversed": amount,
        "balance_transaction": "txn_" + sid("x", name + "trtxn", 26)[6:],
        "created": created - 3600,
        "currency": "usd",
        "description": None,
        "destination": "acct_" + sid("x", name + "acct", 18)[6:],
        "destination_payment": "py_" + sid("x", name + "py", 26)[6:],
        "livemode": False,
        "metadata": {"task_id": "tsk_" + sid("x", name + "task", 20)[6:]},
        "reversals": {
            "object": "list",
            "data": [reversal],
            "has_more": False,
            "total_count": 1,
            "url": "/v1/transfers/%s/reversals" % tr_id,
        },
        "reversed": True,
        "source_transaction": None,
        "source_type": "card",
        "transfer_group": "group_" + sid("x", name + "grp", 18)[6:],
    }


def customer(name, created):
    return {
        "id": "cus_" + sid("x", name + "cus", 16)[6:],
        "object": "customer",
        "address": None,
        "balance": 0,
        "created": created,
        "currency": None,
        "default_source": None,
        "delinquent": False,
        "description": None,
        "discount": None,
        "email": "buyer@example.test",
        "invoice_prefix": "FIXT0001",
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": {},
        "name": "Test Buyer",
        "next_invoice_sequence": 1,
        "phone": None,
        "preferred_locales": [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }


def payment_intent(name, created, description, amount=2750):
    pi_id = "pi_test_" + sid("x", name + "pi", 26)[6:]
    return {
        "id": pi_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": 0,
        "amount_details": {"tip": {}},
        "amount_received": amount,
        "application": None,
        "application_fee_amount": None,
        "automatic_payment_methods": None,
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": "automatic",
        "client_secret": None,
        "confirmation_method": "automatic",
        "created": created,
        "currency": "eur",
        "customer": None,
        "description": description,
        "latest_charge": "ch_" + sid("x", name + "ch", 26)[6:],
        "livemode": False,
        "metadata": {"task_id": "tsk_" + sid("x", name + "task", 20)[6:], "note": description},
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": "pm_" + sid("x", name + "pm", 26)[6:],
        "payment_method_types": ["card"],
        "processing": None,
        "receipt_email": None,
        "review": None,
        "setup_future_usage": None,
        "shipping": None,
        "source": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": "succeeded",
        "transfer_data": None,
        "transfer_group": None,
    }


def compact(obj):
    # ensure_ascii=False: non-ASCII characters are sent as raw UTF-8 bytes.
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def pretty(obj):
    # Stripe's own deliveries look like this: 2-space indented JSON.
    return json.dumps(obj, indent=2, ensure_ascii=False)


# ---------------------------------------------------------------------------
# Signing: only through the stripe package


def sign(payload, secret, t):
    """Full header 't=...,v1=...' from the package."""
    return WebhookSignature.generate_signature_header(payload, secret, timestamp=t)


def v1_of(payload, secret, t):
    """The bare hex v1 signature as the package computes it."""
    return WebhookSignature._compute_signature("%d.%s" % (t, payload), secret)


# ---------------------------------------------------------------------------
# Cases


def build_cases():
    cases = []
    counter = [0]

    def next_t():
        t = BASE_T + 60 * counter[0]
        counter[0] += 1
        return t

    def add(name, description, payload, header, secrets, now, valid, ev=None):
        c = {
            "name": name,
            "description": description,
            "payload": payload,
            "header": header,
            "secrets": list(secrets),
            "now": now,
            "valid": valid,
        }
        if valid:
            c["event_id"] = ev["id"]
            c["event_type"] = ev["type"]
        cases.append(c)

    def simple_valid(name, description, etype, make_obj, prev=None, fmt=compact):
        t = next_t()
        ev = event(name, etype, t - 2, make_obj(name, t - 3), previous_attributes=prev)
        payload = fmt(ev)
        add(name, description, payload, sign(payload, PRIMARY, t), [PRIMARY], t + 5, True, ev)
        return ev, payload, t

    # --- ordinary valid events ------------------------------------------------
    simple_valid(
        "checkout_session_completed_paid",
        "checkout.session.completed, payment_status paid, compact JSON body, single v1 signed with the primary secret.",
        "checkout.session.completed",
        lambda n, c: checkout_session(n, c),
    )
    simple_valid(
        "checkout_session_async_payment_succeeded",
        "checkout.session.async_payment_succeeded (delayed bank debit settled), payment_status paid.",
        "checkout.session.async_payment_succeeded",
        lambda n, c: checkout_session(n, c, payment_method_types=("us_bank_account",)),
    )
    simple_valid(
        "checkout_session_async_payment_failed",
        "checkout.session.async_payment_failed, status complete but payment_status unpaid.",
        "checkout.session.async_payment_failed",
        lambda n, c: checkout_session(n, c, payment_status="unpaid", payment_method_types=("us_bank_account",)),
    )
    simple_valid(
        "checkout_session_expired",
        "checkout.session.expired, status expired, payment_status unpaid, payment_intent null.",
        "checkout.session.expired",
        lambda n, c: checkout_session(n, c, status="expired", payment_status="unpaid", with_payment_intent=False),
    )
    simple_valid(
        "charge_refunded",
        "charge.refunded with data.previous_attributes, full refund of 2750.",
        "charge.refunded",
        lambda n, c: charge(n, c),
        prev={"amount_refunded": 0, "refunded": False},
    )
    simple_valid(
        "refund_updated_succeeded",
        "refund.updated, refund status succeeded.",
        "refund.updated",
        lambda n, c: refund(n, c, status="succeeded"),
        prev={"status": "pending"},
    )
    simple_valid(
        "refund_failed",
        "refund.failed, refund status failed with failure_reason.",
        "refund.failed",
        lambda n, c: refund(n, c, status="failed"),
    )
    simple_valid(
        "refund_updated_status_failed",
        "refund.updated where the refund's status became failed.",
        "refund.updated",
        lambda n, c: refund(n, c, status="failed"),
        prev={"status": "pending"},
    )
    simple_valid(
        "transfer_reversed",
        "transfer.reversed, full reversal of a 2750 transfer.",
        "transfer.reversed",
        lambda n, c: transfer_reversed(n, c),
        prev={"amount_reversed": 0, "reversed": False},
    )
    simple_valid(
        "unknown_type_customer_created",
        "customer.created: an event type the ledger does not handle; the signature is still valid.",
        "customer.created",
        lambda n, c: customer(n, c),
    )

    # --- body encoding ----------------------------------------------------------
    simple_valid(
        "pretty_printed_payload",
        "checkout.session.completed body pretty-printed with newlines and 2-space indentation "
        "(as Stripe really sends it); the signature covers the bytes exactly as sent.",
        "checkout.session.completed",
        lambda n, c: checkout_session(n, c),
        fmt=pretty,
    )
    ev, payload, _ = simple_valid(
        "non_ascii_payload",
        "payment_intent.succeeded whose description contains non-ASCII text sent as raw UTF-8 "
        "(not \\u escapes); the signature is over the UTF-8 bytes.",
        "payment_intent.succeeded",
        lambda n, c: payment_intent(n, c, "Café façade — 東京"),
    )
    if "Café façade — 東京" not in payload or len(payload.encode("utf-8")) == len(payload):
        fail("non_ascii_payload does not carry raw non-ASCII text")

    # --- header shapes ------------------------------------------------------------
    name = "v0_and_two_v1_second_correct"
    t = next_t()
    ev = event(name, "checkout.session.completed", t - 2, checkout_session(name, t - 3))
    payload = compact(ev)
    header = "t=%d,v1=%s,v1=%s,v0=%s" % (
        t,
        v1_of(payload, WRONG, t),
        v1_of(payload, PRIMARY, t),
        v1_of(payload, V0_DUMMY, t),
    )
    add(
        name,
        "Header with two v1 entries (the first made with a different secret, the second correct) "
        "and a v0 entry; any matching v1 suffices and v0 is ignored.",
        payload, header, [PRIMARY], t + 5, True, ev,
    )

    name = "rotation_rotated_and_primary_signatures"
    t = next_t()
    ev = event(name, "checkout.session.completed", t - 2, checkout_session(name, t - 3))
    payload = compact(ev)
    header = "t=%d,v1=%s,v1=%s" % (t, v1_of(payload, ROTATED, t), v1_of(payload, PRIMARY, t))
    add(
        name,
        "Secret rotation window: Stripe signs with both the new (rotated) and old (primary) secret; "
        "a verifier that knows only the primary secret accepts.",
        payload, header, [PRIMARY], t + 5, True, ev,
    )

    # --- tolerance edges (valid) --------------------------------------------------
    name = "edge_now_equals_t_plus_300"
    t = next_t()
    ev = event(name, "checkout.session.completed", t - 2, checkout_session(name, t - 3))
    payload = compact(ev)
    add(
        name,
        "Verified exactly 300 s after the signing timestamp: stripe rejects only when "
        "timestamp < now - tolerance, so age == tolerance is accepted.",
        payload, sign(payload, PRIMARY, t), [PRIMARY], t + 300, True, ev,
    )

    name = "edge_future_timestamp"
    t = next_t()
    ev = event(name, "checkout.session.completed", t - 2, checkout_session(name, t - 3))
    payload = compact(ev)
    add(
        name,
        "Signing timestamp 100 s in the verifier's future (clock skew): stripe-python has no "
        "upper bound, so this is accepted.",
        payload, sign(payload, PRIMARY, t), [PRIMARY], t - 100, True, ev,
    )

    # --- invalid -----------------------------------------------------------------
    def base(name):
        t = next_t()
        ev = event(name, "checkout.session.completed", t - 2, checkout_session(name, t - 3))
        return t, ev, compact(ev)

    name = "rotation_unknown_secret_only"
    t, ev, payload = base(name)
    add(
        name,
        "Header carries only a v1 made with a third secret that the verifier does not know; "
        "the verifier has both primary and rotated secrets and must reject with each.",
        payload, sign(payload, UNKNOWN, t), [PRIMARY, ROTATED], t + 5, False,
    )

    name = "wrong_secret"
    t, ev, payload = base(name)
    add(
        name,
        "Signed with a different secret than the verifier's.",
        payload, sign(payload, WRONG, t), [PRIMARY], t + 5, False,
    )

    name = "body_modified_after_signing"
    t, ev, payload = base(name)
    header = sign(payload, PRIMARY, t)
    tampered = payload.replace('"amount_total":2750', '"amount_total":2751', 1)
    if tampered == payload or len(tampered) != len(payload):
        fail("tampering did not change exactly one character")
    add(
        name,
        "Header is correct for the original body, but amount_total was changed from 2750 to 2751 "
        "(one character) afterwards.",
        tampered, header, [PRIMARY], t + 5, False,
    )

    name = "stale_timestamp_t_plus_301"
    t, ev, payload = base(name)
    add(
        name,
        "Correct signature, but verified 301 s after the signing timestamp: outside the 300 s "
        "tolerance (replay protection). Valid if tolerance is disabled.",
        payload, sign(payload, PRIMARY, t), [PRIMARY], t + 301, False,
    )

    name = "missing_v1_only_v0"
    t, ev, payload = base(name)
    add(
        name,
        "Header has t and a v0 entry whose value is the correct HMAC with the real secret, but no "
        "v1 entry; only the v1 scheme counts.",
        payload, "t=%d,v0=%s" % (t, v1_of(payload, PRIMARY, t)), [PRIMARY], t + 5, False,
    )

    name = "garbled_header_garbage"
    t, ev, payload = base(name)
    add(name, "Header value is the literal string 'garbage'.", payload, "garbage", [PRIMARY], t + 5, False)

    name = "garbled_header_empty"
    t, ev, payload = base(name)
    add(name, "Header value is the empty string.", payload, "", [PRIMARY], t + 5, False)

    name = "garbled_header_non_integer_t"
    t, ev, payload = base(name)
    add(
        name,
        "t=abc with a v1 that is correct for the real timestamp: the timestamp must parse as an integer.",
        payload, "t=abc,v1=%s" % v1_of(payload, PRIMARY, t), [PRIMARY], t + 5, False,
    )

    name = "no_timestamp_element"
    t, ev, payload = base(name)
    add(
        name,
        "Header has only v1=<correct signature for the real timestamp>, no t= element.",
        payload, "v1=%s" % v1_of(payload, PRIMARY, t), [PRIMARY], t + 5, False,
    )

    name = "signature_truncated"
    t, ev, payload = base(name)
    add(
        name,
        "v1 is the correct signature with its last hex digit removed (63 chars); "
        "a prefix comparison must not accept it.",
        payload, "t=%d,v1=%s" % (t, v1_of(payload, PRIMARY, t)[:-1]), [PRIMARY], t + 5, False,
    )

    name = "payload_trailing_whitespace_after_signing"
    t, ev, payload = base(name)
    add(
        name,
        "Header is correct for the body, but a newline was appended to the body afterwards; "
        "bodies must not be trimmed or re-serialised before verifying.",
        payload + "\n", sign(payload, PRIMARY, t), [PRIMARY], t + 5, False,
    )

    return cases


# ---------------------------------------------------------------------------
# Confirmation with the package itself


def pkg_verify(payload, header, secret, tolerance, now):
    """Return None if stripe accepts, else the SignatureVerificationError message.
    Any other exception type aborts: the vectors must only rely on clean rejections."""
    with mock.patch("time.time", return_value=float(now)):
        try:
            WebhookSignature.verify_header(payload, header, secret, tolerance=tolerance)
            return None
        except SignatureVerificationError as e:
            return str(e) or "SignatureVerificationError"
        except Exception as e:  # pragma: no cover
            fail("stripe raised %s (not SignatureVerificationError): %s" % (type(e).__name__, e))


def confirm(case):
    name, payload, header, secrets, now = (
        case["name"], case["payload"], case["header"], case["secrets"], case["now"],
    )
    if not secrets:
        fail("%s: no secrets" % name)
    if case["valid"]:
        ok = [s for s in secrets if pkg_verify(payload, header, s, None, now) is None]
        if not ok:
            fail("%s: expected valid, but verify_header(tolerance=None) rejected with every secret" % name)
        ok300 = [s for s in secrets if pkg_verify(payload, header, s, TOLERANCE, now) is None]
        if not ok300:
            fail("%s: expected valid, but rejected with tolerance=%d at now=%d" % (name, TOLERANCE, now))
        secret = ok[0]
        with mock.patch("time.time", return_value=float(now)):
            for tol in (None, TOLERANCE):
                ev = Webhook.construct_event(payload, header, secret, tolerance=tol)
                if ev.id != case["event_id"] or ev.type != case["event_type"]:
                    fail("%s: construct_event gave %s/%s, expected %s/%s"
                         % (name, ev.id, ev.type, case["event_id"], case["event_type"]))
        # Double-check (independently of the package) that some v1 is a plain HMAC-SHA256.
        t, sigs = WebhookSignature._get_timestamp_and_signatures(header, "v1")
        mine = hmac.new(secret.encode("utf-8"), ("%d.%s" % (t, payload)).encode("utf-8"), hashlib.sha256).hexdigest()
        if mine not in sigs:
            fail("%s: no v1 equals plain HMAC-SHA256" % name)
    else:
        for s in secrets:
            why = pkg_verify(payload, header, s, TOLERANCE, now)
            if why is None:
                fail("%s: expected invalid, but stripe accepted with secret %s at now=%d" % (name, s, now))
            case.setdefault("_reasons", []).append(why)
        stale = name.startswith("stale_timestamp")
        for s in secrets:
            without_tol = pkg_verify(payload, header, s, None, now)
            if stale and without_tol is not None:
                fail("%s: stale case must be rejected only for its age, but: %s" % (name, without_tol))
            if not stale and without_tol is None:
                fail("%s: accepted when tolerance is disabled; it should fail on the signature itself" % name)


def main():
    check_pin()
    cases = build_cases()
    names = [c["name"] for c in cases]
    if len(set(names)) != len(names):
        fail("duplicate case names")
    for c in cases:
        confirm(c)
    for c in cases:
        reasons = c.pop("_reasons", None)
        print("%-45s %-7s %s" % (c["name"], "valid" if c["valid"] else "invalid",
                                 "" if reasons is None else "(stripe: %s)" % reasons[0]))
    doc = {
        "generator": "stripe-python %s via Fixtures/stripe/make_fixtures.py" % STRIPE_VERSION,
        "tolerance_seconds": TOLERANCE,
        "cases": cases,
    }
    text = json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    with open(OUT_PATH, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print("wrote %s: %d cases (%d valid, %d invalid), stripe-python %s"
          % (os.path.relpath(OUT_PATH), len(cases), sum(c["valid"] for c in cases),
             sum(not c["valid"] for c in cases), STRIPE_VERSION))


if __name__ == "__main__":
    main()
