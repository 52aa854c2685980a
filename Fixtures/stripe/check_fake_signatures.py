#!/usr/bin/env python3
"""Check that webhook deliveries signed by our Swift fake Stripe server verify
with the official stripe package.

Usage:
    .build/venv-stripe/bin/python Fixtures/stripe/check_fake_signatures.py DELIVERIES.json

DELIVERIES.json:
    {"secret": "whsec_...",
     "deliveries": [{"payload": "<raw body>", "header": "<Stripe-Signature>",
                     "event_id": "evt_...", "event_type": "..."}]}

For each delivery: stripe.Webhook.construct_event(payload, header, secret,
tolerance=3600) must succeed and return the given id and type, and the same
payload with one byte changed must be rejected with SignatureVerificationError
(so the check cannot pass vacuously). Exits non-zero on any failure, on a
missing/unreadable file, or when there are no deliveries.
"""

import importlib.metadata
import json
import sys

import stripe
from stripe import SignatureVerificationError, Webhook

TOLERANCE = 3600
STRIPE_VERSION = importlib.metadata.version("stripe")


def tamper(payload):
    """The payload with exactly one byte changed (an ASCII character flipped in
    place, so the UTF-8 stays valid and the length is unchanged)."""
    # Prefer a digit or letter in the middle of the body; fall back to any ASCII.
    mid = len(payload) // 2
    order = list(range(mid, len(payload))) + list(range(0, mid))
    for pref in (str.isdigit, str.isalpha, lambda ch: ch.isascii() and ch.isprintable()):
        for i in order:
            ch = payload[i]
            if ch.isascii() and pref(ch):
                if ch.isdigit():
                    new = "1" if ch == "0" else "0"
                elif ch.isalpha():
                    new = "b" if ch == "a" else "a"
                else:
                    new = "#" if ch != "#" else "$"
                return payload[:i] + new + payload[i + 1:]
    return None


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: %s DELIVERIES.json\n" % argv[0])
        return 2
    path = argv[1]
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        sys.stderr.write("FAIL: input file not found: %s\n" % path)
        return 1
    except (OSError, ValueError) as e:
        sys.stderr.write("FAIL: cannot read %s: %s\n" % (path, e))
        return 1

    secret = doc.get("secret") if isinstance(doc, dict) else None
    deliveries = doc.get("deliveries") if isinstance(doc, dict) else None
    if not isinstance(secret, str) or not secret:
        sys.stderr.write("FAIL: %s has no \"secret\" string\n" % path)
        return 1
    if not isinstance(deliveries, list) or not deliveries:
        sys.stderr.write("FAIL: %s has no deliveries; nothing was checked\n" % path)
        return 1

    accepted = 0
    failures = 0
    for n, d in enumerate(deliveries, 1):
        label = "#%d" % n
        try:
            payload, header = d["payload"], d["header"]
            want_id, want_type = d["event_id"], d["event_type"]
        except (KeyError, TypeError) as e:
            print("FAIL %s: malformed delivery (missing %s)" % (label, e))
            failures += 1
            continue
        label = "#%d %s %s" % (n, want_id, want_type)

        try:
            ev = Webhook.construct_event(payload, header, secret, tolerance=TOLERANCE)
        except SignatureVerificationError as e:
            print("FAIL %s: stripe rejected the signature: %s" % (label, e))
            failures += 1
            continue
        except Exception as e:
            print("FAIL %s: construct_event raised %s: %s" % (label, type(e).__name__, e))
            failures += 1
            continue
        if ev.id != want_id or ev.type != want_type:
            print("FAIL %s: stripe parsed id=%s type=%s" % (label, ev.id, ev.type))
            failures += 1
            continue

        bad = tamper(payload)
        if bad is None or bad == payload:
            print("FAIL %s: could not make a one-byte-changed copy of the payload" % label)
            failures += 1
            continue
        try:
            Webhook.construct_event(bad, header, secret, tolerance=TOLERANCE)
            print("FAIL %s: a copy with one byte changed was ACCEPTED" % label)
            failures += 1
            continue
        except SignatureVerificationError:
            pass
        except Exception as e:
            print("FAIL %s: tampered copy raised %s instead of SignatureVerificationError: %s"
                  % (label, type(e).__name__, e))
            failures += 1
            continue

        accepted += 1
        print("ok   %s: signature accepted, one-byte-changed copy rejected" % label)

    total = len(deliveries)
    print("stripe-python %s accepted %d/%d signatures from the fake" % (STRIPE_VERSION, accepted, total))
    return 0 if failures == 0 and accepted == total else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
