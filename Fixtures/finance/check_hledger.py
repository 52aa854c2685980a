#!/usr/bin/env python3
"""Checks the exported journal with hledger, an independent implementation of plain-text
accounting: it must parse, and its per-account balances and per-commodity totals must equal
the trial balance our ledger reports.

Usage: check_hledger.py JOURNAL TRIAL_BALANCE.json

JOURNAL is `marketplace export journal` output; TRIAL_BALANCE.json is
`marketplace report trial-balance --format json` (tables "lines" and "totals").
Standard library only; runs Debian's hledger (`apt-get install hledger`).
"""
import csv
import io
import json
import subprocess
import sys
from decimal import Decimal


def hledger_balances(journal):
    out = subprocess.run(["hledger", "-f", journal, "balance", "--flat", "--no-total", "-O", "csv"],
                         check=True, capture_output=True, text=True).stdout
    balances = {}
    for row in csv.DictReader(io.StringIO(out)):
        account = row["account"]
        if account == "total":
            continue
        # The account is our code under its type's root ("liabilities:wallet:…").
        code = account.split(":", 1)[1]
        for amount in row["balance"].split(","):
            amount = amount.strip()
            if not amount or amount == "0":
                continue
            number, commodity = amount.rsplit(" ", 1)
            balances[(code, commodity)] = balances.get((code, commodity), Decimal(0)) + Decimal(number)
    return {key: value for key, value in balances.items() if value != 0}


def ours(trial):
    balances, totals = {}, {}
    for line in trial["lines"]:
        debit = Decimal(line["debit"]) if line["debit"] else Decimal(0)
        credit = Decimal(line["credit"]) if line["credit"] else Decimal(0)
        balances[(line["account"], line["asset"])] = debit - credit
    for total in trial["totals"]:
        totals[total["asset"]] = (Decimal(total["debits"]), Decimal(total["credits"]))
    return balances, totals


def main():
    journal, trial_path = sys.argv[1], sys.argv[2]
    with open(trial_path) as handle:
        trial = json.load(handle)
    theirs = hledger_balances(journal)
    mine, totals = ours(trial)
    problems = []
    for key in sorted(set(theirs) | set(mine)):
        if theirs.get(key) != mine.get(key):
            problems.append(f"{key[0]} {key[1]}: hledger {theirs.get(key)}, trial balance {mine.get(key)}")
    for asset, (debits, credits) in sorted(totals.items()):
        positive = sum((v for (_, c), v in theirs.items() if c == asset and v > 0), Decimal(0))
        negative = -sum((v for (_, c), v in theirs.items() if c == asset and v < 0), Decimal(0))
        if (positive, negative) != (debits, credits):
            problems.append(f"{asset} totals: hledger debits {positive} credits {negative}, trial balance {debits} / {credits}")
    if problems:
        print("hledger disagrees with the trial balance:")
        for problem in problems:
            print("  " + problem)
        sys.exit(1)
    version = subprocess.run(["hledger", "--version"], capture_output=True, text=True).stdout.split(",")[0].strip()
    print(f"{version} read the journal: {len(theirs)} accounts, {len(totals)} assets, balances and totals equal the trial balance")


if __name__ == "__main__":
    main()
