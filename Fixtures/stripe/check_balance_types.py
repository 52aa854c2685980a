#!/usr/bin/env python3
"""Check the connector's map of Stripe balance-transaction types against the
official stripe package's own list for the same API version.

Usage:
    .build/venv-stripe/bin/python Fixtures/stripe/check_balance_types.py BALANCE_TYPES.json

BALANCE_TYPES.json (written by StripeConnectorTests when STRIPE_INTEROP_OUT is set):
    {"api_version": "2026-10-28.endive", "types": {"charge": "charge", ...}}

The package's BalanceTransaction.type annotation (generated from Stripe's
OpenAPI spec) is a Literal of every documented type. The check fails when the
package pins another API version than ours, when a documented type is missing
from our map (it would read as unknown_type), when our map names a type the
package does not document, or when a type maps to a kind we do not know.
"""

import importlib.metadata
import json
import sys
import typing

import stripe
from stripe import _api_version, _balance_transaction

KINDS = {"charge", "refund", "transfer", "transfer_reversal", "processor_fee", "platform_income",
         "bank_payout", "reserve", "adjustment", "unused_product"}


def documented_types():
    annotation = _balance_transaction.BalanceTransaction.__annotations__["type"]
    literals = [arg for arg in typing.get_args(annotation) if typing.get_origin(arg) is typing.Literal]
    if len(literals) != 1:
        raise SystemExit(f"stripe {importlib.metadata.version('stripe')}: BalanceTransaction.type is not one Literal: {annotation}")
    return set(typing.get_args(literals[0]))


def main(path):
    with open(path) as handle:
        ours = json.load(handle)
    failures = []
    pinned = _api_version._ApiVersion.CURRENT
    if ours["api_version"] != pinned:
        failures.append(f"the package pins API version {pinned}, the connector {ours['api_version']}")
    documented = documented_types()
    mapped = set(ours["types"])
    for missing in sorted(documented - mapped):
        failures.append(f"documented type {missing} is not mapped (it would be unknown_type)")
    for extra in sorted(mapped - documented):
        failures.append(f"mapped type {extra} is not documented for {pinned}")
    for name, kind in sorted(ours["types"].items()):
        if kind not in KINDS:
            failures.append(f"type {name} maps to unknown kind {kind}")
    if failures:
        print("\n".join(failures))
        return 1
    print(f"stripe {importlib.metadata.version('stripe')} (API {pinned}): all {len(documented)} balance-transaction types are mapped")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    sys.exit(main(sys.argv[1]))
