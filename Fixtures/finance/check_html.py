#!/usr/bin/env python3
"""Checks that a browser rendered the finance page's trial balance exactly as the CLI reports it.

Usage: python3 check_html.py DUMPED_DOM.html TRIAL_BALANCE.json

DUMPED_DOM.html is what `chromium --headless --dump-dom file://...` prints for the page that
`FinanceHTML.render` wrote (checked with Chromium 156.0.8078.79). TRIAL_BALANCE.json is the trial
balance as JSON, in either shape:

  grouped:  {"as_of": ..., "assets": [{"asset": "USD", "total_debits": "12.34", "total_credits": "12.34",
             "lines": [{"account": "clearing:test:USD", "type": "asset", "debit": "12.34", "credit": ""}]}]}
  report:   {"report": "trial_balance", "as_of": ..., "lines": [{"asset": "USD", "account": ..., "type": ...,
             "debit": "12.34", "credit": null}], "totals": [{"asset": "USD", "debits": ..., "credits": ..., ...}]}

Amounts are compared as exact strings. The one mapping is JSON null to "": the report shape
writes an empty side as null while the page prints it (and its data-* attribute) as "".

Reads every <tr data-account> and every <tr class="total"> inside the element id="trial-balance".
Also fails if the page has a <script src> or an http(s):// or protocol-relative URL in a
src/href-like attribute or in a CSS url(). Exit 0 when everything matches, 1 on any difference,
2 on bad usage or unreadable input. Python 3 standard library only.
"""

import json
import re
import sys
from collections import Counter
from html.parser import HTMLParser

URL_ATTRIBUTES = {"src", "href", "xlink:href", "srcset", "action", "formaction", "poster", "data", "background"}
EXTERNAL_URL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
CSS_EXTERNAL_URL = re.compile(r"url\(\s*['\"]?\s*(https?:)?//|@import", re.IGNORECASE)


class TrialBalancePage(HTMLParser):
    """Collects the trial balance rows and any reference to an outside resource."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines = []      # (account, asset, debit, credit)
        self.types = {}      # (account, asset) -> data-type, when present
        self.totals = []     # (asset, debits, credits)
        self.external = []   # human-readable problems
        self.tables_found = 0
        self._scope_tag = None
        self._scope_depth = 0
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attributes = {name.lower(): (value if value is not None else "") for name, value in attrs}
        self._check_external(tag, attributes)
        self._in_style = tag == "style"
        if self._scope_tag is None:
            if attributes.get("id") == "trial-balance":
                self.tables_found += 1
                self._scope_tag, self._scope_depth = tag, 1
            return
        if tag == self._scope_tag:
            self._scope_depth += 1
        if tag == "tr":
            self._read_row(attributes)

    def handle_startendtag(self, tag, attrs):
        attributes = {name.lower(): (value if value is not None else "") for name, value in attrs}
        self._check_external(tag, attributes)

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False
        if self._scope_tag is not None and tag == self._scope_tag:
            self._scope_depth -= 1
            if self._scope_depth == 0:
                self._scope_tag = None

    def handle_data(self, data):
        if self._in_style and CSS_EXTERNAL_URL.search(data):
            self.external.append("<style> refers to an outside resource (url(//...) or @import)")

    def _read_row(self, attributes):
        classes = attributes.get("class", "").split()
        if "data-account" in attributes:
            key = (attributes["data-account"], attributes.get("data-asset", ""))
            self.lines.append(key + (attributes.get("data-debit", ""), attributes.get("data-credit", "")))
            if "data-type" in attributes:
                self.types[key] = attributes["data-type"]
        elif "total" in classes:
            self.totals.append((attributes.get("data-asset", ""), attributes.get("data-debits", ""),
                                attributes.get("data-credits", "")))

    def _check_external(self, tag, attributes):
        if tag == "script" and "src" in attributes:
            self.external.append(f"<script src={attributes['src']!r}>")
        for name, value in attributes.items():
            if name in URL_ATTRIBUTES and EXTERNAL_URL.search(value):
                self.external.append(f"<{tag} {name}={value!r}>")
            if name == "style" and CSS_EXTERNAL_URL.search(value):
                self.external.append(f"<{tag} style={value!r}>")


def amount(value):
    """The page prints an empty side as ""; the report JSON writes it as null."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"amount {value!r} is not a string (amounts must be exact decimal strings)")
    return value


def expected_from_json(document):
    """(lines, types, totals) from either JSON shape; raises KeyError/ValueError on a bad shape."""
    lines, types, totals = [], {}, []
    if "assets" in document:
        for group in document["assets"]:
            asset = group["asset"]
            totals.append((asset, amount(group["total_debits"]), amount(group["total_credits"])))
            for line in group["lines"]:
                lines.append((line["account"], asset, amount(line.get("debit")), amount(line.get("credit"))))
                if "type" in line:
                    types[(line["account"], asset)] = line["type"]
    elif "lines" in document and "totals" in document:
        for line in document["lines"]:
            lines.append((line["account"], line["asset"], amount(line.get("debit")), amount(line.get("credit"))))
            if "type" in line:
                types[(line["account"], line["asset"])] = line["type"]
        for total in document["totals"]:
            totals.append((total["asset"], amount(total["debits"]), amount(total["credits"])))
    else:
        raise ValueError('expected an "assets" list or "lines" and "totals" lists')
    return lines, types, totals


def differences(kind, expected, rendered):
    """One message per row that is missing from the page or extra on it (duplicates counted)."""
    messages = []
    missing = Counter(expected) - Counter(rendered)
    extra = Counter(rendered) - Counter(expected)
    for row, count in sorted(missing.items()):
        messages.append(f"{kind} in the JSON but not on the page{'' if count == 1 else f' (x{count})'}: {row}")
    for row, count in sorted(extra.items()):
        messages.append(f"{kind} on the page but not in the JSON{'' if count == 1 else f' (x{count})'}: {row}")
    return messages


def main(argv):
    if len(argv) != 3:
        print("usage: python3 check_html.py DUMPED_DOM.html TRIAL_BALANCE.json", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as handle:
            page_text = handle.read()
        with open(argv[2], encoding="utf-8") as handle:
            expected_lines, expected_types, expected_totals = expected_from_json(json.load(handle))
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"cannot read the inputs: {error!r}", file=sys.stderr)
        return 2

    page = TrialBalancePage()
    page.feed(page_text)
    page.close()

    problems = [f"outside resource: {item}" for item in page.external]
    if page.tables_found != 1:
        problems.append(f'expected one element with id="trial-balance", found {page.tables_found}')
    problems += differences("line (account, asset, debit, credit)", expected_lines, page.lines)
    problems += differences("total (asset, debits, credits)", expected_totals, page.totals)
    for key, kind in sorted(expected_types.items()):
        if key in page.types and page.types[key] != kind:
            problems.append(f"type of {key}: JSON {kind!r}, page {page.types[key]!r}")

    if problems:
        for problem in problems:
            print(problem)
        return 1
    accounts = len(page.lines)
    assets = len({asset for _, asset, _, _ in page.lines} | {asset for asset, _, _ in page.totals})
    print(f"chromium rendered the trial balance: {accounts} accounts, {assets} assets, totals match")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
