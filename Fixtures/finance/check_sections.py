#!/usr/bin/env python3
"""Checks the finance page's month-end sections, as headless Chromium rendered them, against the
reports the CLI writes as JSON for the same period.

Usage: python3 check_sections.py DUMPED_DOM.html REPORTS_DIR

REPORTS_DIR holds balance-sheet.json, fee-revenue.json, roll-forward.json and frozen.json, written
by `marketplace report <name> --period P` (fee revenue with --by month), and the page was written
by `marketplace report html --period P`. Checked:

  - the period header (#period data-from / data-to) is the reports' period;
  - every report table on the page (table[data-table]: fee revenue, both roll-forward tables, the
    aging buckets) has the JSON table's rows, cell by cell (data-value, JSON null as ""), in order;
  - every cell's visible text is its exact value with thousands grouped by commas;
  - the balance sheet's lines and type totals are the balance-sheet report's, and every asset
    reads balanced;
  - the trial balance's group and type subtotals are the sums of their lines (computed here with
    Decimal from the lines' data-debit / data-credit);
  - each frozen task's amount is the frozen-funds report's, and each has a reason beside it.

Exit 0 when everything matches, 1 on any difference, 2 on bad usage or unreadable input. Python 3
standard library only.
"""

import json
import os
import sys
from decimal import Decimal
from html.parser import HTMLParser

# Page table id -> (report file, table name in its JSON).
TABLES = {
    "fee-revenue": ("fee-revenue.json", "lines"),
    "roll-forward-escrow": ("roll-forward.json", "escrow"),
    "roll-forward-wallets": ("roll-forward.json", "wallets"),
    "aging": ("frozen.json", "buckets"),
}


def grouped(value):
    """An exact decimal string with its thousands grouped, as a finance person reads it."""
    if value == "" or not any(ch.isdigit() for ch in value):
        return value
    try:
        number = Decimal(value)
    except ArithmeticError:
        return value
    if not number.is_finite() or str(number) != value.lstrip("+"):
        return value  # not a plain decimal (a date, a count with text): shown as is
    return f"{number:,}"


class Page(HTMLParser):
    """Collects rows of the tables the check reads, with their cells' attributes and text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.period = None
        self.tables = {}          # id -> list of rows; a row is a list of (attrs, text)
        self.sheet = []           # (asset, type, group, amount) of balance-sheet lines
        self.sheet_totals = []    # (asset, type, amount)
        self.sheet_balanced = {}  # asset -> "yes"/"no"
        self.trial = []           # (kind, attrs, texts) for rows of #trial-balance in order
        self.frozen = []          # (task, amount, reason text)
        self._table = None
        self._sheet_asset = None
        self._row = None
        self._cell = None
        self._in_trial = False
        self._in_frozen = False
        self._reason = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if a.get("id") == "period":
            self.period = (a.get("data-from"), a.get("data-to"))
        if tag == "table":
            self._table = a.get("id") if "data-table" in a else None
            if self._table:
                self.tables[self._table] = []
            if "balance-sheet" in a.get("class", "").split():
                self._sheet_asset = a.get("data-asset")
                self.sheet_balanced[self._sheet_asset] = a.get("data-balanced")
            self._in_trial = a.get("id") == "trial-balance"
            self._in_frozen = a.get("id") == "frozen-tasks"
        elif tag == "tr":
            self._row = (a, [])
            classes = a.get("class", "").split()
            if self._sheet_asset and "line" in classes:
                self.sheet.append((a.get("data-asset"), a.get("data-type"), a.get("data-group"), a.get("data-amount")))
            if self._sheet_asset and "type-total" in classes:
                self.sheet_totals.append((self._sheet_asset, a.get("data-type"), a.get("data-amount")))
        elif tag in ("td", "th") and self._row is not None:
            self._cell = [a, ""]
            if self._in_frozen and "reason" in a.get("class", "").split():
                self._reason = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1] += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row[1].append((self._cell[0], self._cell[1].strip()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            attrs, cells = self._row
            if self._table and "row" in attrs.get("class", "").split():
                self.tables[self._table].append(cells)
            if self._in_trial:
                self.trial.append((attrs, cells))
            if self._in_frozen and "data-task" in attrs:
                reason = next((text for cell_attrs, text in cells if "reason" in cell_attrs.get("class", "").split()), "")
                self.frozen.append((attrs["data-task"], attrs.get("data-amount"), reason))
            self._row = None
        elif tag == "table":
            self._table = None
            self._sheet_asset = None
            self._in_trial = False
            self._in_frozen = False


def cell_value(value):
    return "" if value is None else str(value)


def check_tables(page, reports, problems):
    for table_id, (name, table) in TABLES.items():
        expected = reports[name].get(table, [])
        rendered = page.tables.get(table_id)
        if rendered is None:
            problems.append(f"table #{table_id} is not on the page")
            continue
        if len(rendered) != len(expected):
            problems.append(f"#{table_id}: {len(rendered)} rows on the page, {len(expected)} in {name}")
        for index, (row, want) in enumerate(zip(rendered, expected)):
            values = {attrs.get("data-column"): (attrs.get("data-value"), text) for attrs, text in row}
            for column, value in want.items():
                exact, text = values.get(column, (None, None))
                if exact != cell_value(value):
                    problems.append(f"#{table_id} row {index} {column}: page {exact!r}, JSON {value!r}")
                elif text != grouped(exact):
                    problems.append(f"#{table_id} row {index} {column}: shows {text!r} for {exact!r}")


def check_sheet(page, sheet, problems):
    expected = sorted((l["asset"], l["type"], l["group"], l["amount"]) for l in sheet["lines"])
    if sorted(page.sheet) != expected:
        problems.append(f"balance sheet lines differ: page {sorted(page.sheet)}, JSON {expected}")
    columns = {"asset": "assets", "liability": "liabilities", "equity": "equity", "revenue": "revenue", "expense": "expenses"}
    for asset, kind, amount in page.sheet_totals:
        row = next((r for r in sheet["equation"] if r["asset"] == asset), None)
        if row is None or row[columns[kind]] != amount:
            problems.append(f"balance sheet total {asset} {kind}: page {amount!r}, JSON {row and row[columns[kind]]!r}")
    for row in sheet["equation"]:
        if page.sheet_balanced.get(row["asset"]) != row["balanced"]:
            problems.append(f"balance sheet {row['asset']}: page balanced={page.sheet_balanced.get(row['asset'])!r}, JSON {row['balanced']!r}")


def shown(text):
    return Decimal(text.replace(",", "")) if text else Decimal(0)


def check_trial_subtotals(page, problems):
    group, kind, checked = [], [], 0
    for attrs, cells in page.trial:
        classes = attrs.get("class", "").split()
        if "data-account" in attrs:
            line = (Decimal(attrs.get("data-debit") or 0), Decimal(attrs.get("data-credit") or 0))
            group.append(line)
            kind.append(line)
        elif "group-head" in classes:
            group = []
        elif "subtotal" in classes or "type-total" in classes:
            lines = group if "subtotal" in classes else kind
            debit, credit = shown(cells[-2][1]), shown(cells[-1][1])
            if (debit, credit) != (sum(l[0] for l in lines), sum(l[1] for l in lines)):
                problems.append(f"trial balance {' '.join(classes)} {cells[0][1]!r}: shows {debit}/{credit}, lines sum to "
                                f"{sum(l[0] for l in lines)}/{sum(l[1] for l in lines)}")
            checked += 1
            if "type-total" in classes:
                kind = []
        elif "type-head" in classes:
            kind, group = [], []
    return checked


def main(argv):
    if len(argv) != 3:
        print("usage: python3 check_sections.py DUMPED_DOM.html REPORTS_DIR", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as handle:
            text = handle.read()
        reports = {}
        for name in ("balance-sheet.json", "fee-revenue.json", "roll-forward.json", "frozen.json"):
            with open(os.path.join(argv[2], name), encoding="utf-8") as handle:
                reports[name] = json.load(handle)
    except (OSError, ValueError) as error:
        print(f"cannot read the inputs: {error!r}", file=sys.stderr)
        return 2
    page = Page()
    page.feed(text)
    page.close()
    problems = []
    period = (reports["roll-forward.json"].get("from"), reports["roll-forward.json"].get("to"))
    if page.period != period:
        problems.append(f"period header {page.period}, reports' period {period}")
    check_tables(page, reports, problems)
    check_sheet(page, reports["balance-sheet.json"], problems)
    subtotals = check_trial_subtotals(page, problems)
    frozen = {l["task"]: l["amount"] for l in reports["frozen.json"]["lines"]}
    if {task: amount for task, amount, _ in page.frozen} != frozen:
        problems.append(f"frozen tasks differ: page {len(page.frozen)}, JSON {len(frozen)}")
    problems += [f"frozen task {task} has no reason" for task, _, reason in page.frozen if not reason]
    if problems:
        for problem in problems:
            print(problem)
        return 1
    rows = sum(len(rows) for rows in page.tables.values())
    print(f"chromium rendered the month-end sections: {rows} report rows, {len(page.sheet)} balance-sheet lines, "
          f"{subtotals} trial subtotals, {len(page.frozen)} frozen tasks with reasons; all match")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
