"""Contract check: a client generated from /openapi.json by openapi-python-client (PyPI, pinned in
requirements-client.txt) runs a whole task lifecycle against `marketplace serve`, then meets a
402 and two 409s, and parses every answer with the generated models (a missing required field
or an undocumented status is an exception or a None there, which fails the check).

    python check_client.py --client-dir DIR   (CONTRACT_BASE_URL and CONTRACT_API_KEY set by serve_and_run.py)

The agent of CONTRACT_API_KEY deposits 100.00 USD in test mode and posts a 10.00 USD task; a
human registers and logs in, applies, is accepted, submits and is approved; the wallets then
hold what the funding said to the cent. Exits non-zero on any failure.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Any


class CheckFailed(Exception):
    pass


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise CheckFailed(what)


class Contract:
    """The generated package, its operations called by operationId, every answer checked."""

    def __init__(self, package: str, base_url: str) -> None:
        self.package = package
        self.client_module = importlib.import_module(f"{package}.client")
        self.base_url = base_url

    def client(self, token: str | None = None) -> Any:
        if token is None:
            return self.client_module.Client(base_url=self.base_url, raise_on_unexpected_status=True)
        return self.client_module.AuthenticatedClient(base_url=self.base_url, token=token, raise_on_unexpected_status=True)

    def model(self, name: str, values: dict[str, Any]) -> Any:
        module = importlib.import_module(f"{self.package}.models")
        return getattr(module, name).from_dict(values)

    def call(self, operation: str, client: Any, status: int, **arguments: Any) -> Any:
        """Calls `operation`, expects `status`, and answers the parsed model (never None, never an error unless asked)."""
        module = importlib.import_module(f"{self.package}.api.default.{operation}")
        response = module.sync_detailed(client=client, **arguments)
        expect(response.status_code == status, f"{operation}: {response.status_code}, not {status}: {response.content[:400]!r}")
        parsed = response.parsed
        expect(parsed is not None, f"{operation}: the {status} answer did not parse")
        error = type(parsed).__name__ == "Error"
        expect(error == (status >= 400), f"{operation}: a {status} answer parsed as {type(parsed).__name__}")
        return parsed, response.headers


def lifecycle(api: Contract, api_key: str) -> str:
    owner = api.client(api_key)
    deposit = api.model("DepositRequest", {"amount": "100.00", "currency": "USD"})
    api.call("deposit", owner, 201, body=deposit, idempotency_key="contract-deposit-1")
    # The same key again answers the stored answer; with another body it is 409 CONFLICT.
    _, headers = api.call("deposit", owner, 201, body=deposit, idempotency_key="contract-deposit-1")
    expect(headers.get("idempotent-replayed") == "true", "a replayed deposit is not marked Idempotent-Replayed")
    conflict, _ = api.call("deposit", owner, 409, body=api.model("DepositRequest", {"amount": "5.00", "currency": "USD"}),
                           idempotency_key="contract-deposit-1")
    expect(conflict.error.code == "CONFLICT" and conflict.error.field == "idempotency_key", f"409: {conflict.error}")

    task_body = {"title": "Photograph the storefront", "description": "Two daylight photos of 12 Main St", "category": "photography",
                 "budget": {"amount": "10.00", "currency": "USD"}}
    created, headers = api.call("create_task", owner, 201, body=api.model("TaskCreate", task_body))
    task = created.data.id
    expect(headers.get("location") == f"/v1/tasks/{task}", f"Location {headers.get('location')} for task {task}")
    expect(created.data.budget.amount_minor == 1000, f"budget {created.data.budget.amount_minor}")
    funded, _ = api.call("fund_task", owner, 200, task=task, body=api.model("FundRequest", {}))
    funding = funded.data
    expect(funding.payout.amount_minor == 1000, f"payout {funding.payout.amount_minor}")
    expect(funding.escrow.amount_minor == funding.payout.amount_minor + funding.fee.amount_minor, "escrow is not payout + fee")

    worker_email = "contract-worker@example.com"
    api.call("register", api.client(), 201, body=api.model("RegisterRequest", {
        "email": worker_email, "password": "correct horse battery", "full_name": "Contract Worker", "role": "human"}))
    session, _ = api.call("login", api.client(), 200, body=api.model("LoginRequest", {"email": worker_email, "password": "correct horse battery"}))
    worker = api.client(session.data.access_token)
    applied, _ = api.call("apply", worker, 201, task=task, body=api.model("ApplyRequest", {"message": "I am two streets away"}))
    accepted, _ = api.call("accept_application", owner, 200, task=task, application=applied.data.id)
    expect(str(accepted.data.status) == "assigned", f"accepted task is {accepted.data.status}")
    api.call("submit", worker, 201, task=task, body=api.model("SubmitRequest", {"deliverables": [{"kind": "text", "value": "two photos"}]}))
    approved, _ = api.call("approve", owner, 200, task=task, body=api.model("ApproveRequest", {}))
    expect(str(approved.data.status) == "paid", f"approved task is {approved.data.status}")
    # An illegal transition: a paid task is approved again.
    again, _ = api.call("approve", owner, 409, task=task, body=api.model("ApproveRequest", {}))
    expect(again.error.code == "CONFLICT", f"approving a paid task: {again.error.code}")

    wallets, _ = api.call("get_wallet", worker, 200)
    usd = [wallet for wallet in wallets.data if wallet.asset == "USD"]
    expect(len(usd) == 1 and usd[0].available.amount_minor == funding.payout.amount_minor,
           f"worker wallet {[w.available.amount_minor for w in usd]}, payout {funding.payout.amount_minor}")
    owner_wallets, _ = api.call("get_wallet", owner, 200)
    owner_usd = [wallet for wallet in owner_wallets.data if wallet.asset == "USD"][0]
    expect(owner_usd.available.amount_minor == 10000 - funding.escrow.amount_minor,
           f"owner wallet {owner_usd.available.amount_minor}, expected {10000 - funding.escrow.amount_minor}")

    # 402: a task beyond what is left in the wallet.
    big = dict(task_body, title="A bigger shoot", budget={"amount": "500.00", "currency": "USD"})
    created, _ = api.call("create_task", owner, 201, body=api.model("TaskCreate", big))
    short, _ = api.call("fund_task", owner, 402, task=created.data.id, body=api.model("FundRequest", {}))
    expect(short.error.code == "INSUFFICIENT_BALANCE", f"402: {short.error.code}")
    after, _ = api.call("get_wallet", owner, 200)
    expect([w for w in after.data if w.asset == "USD"][0].available.amount_minor == owner_usd.available.amount_minor,
           "a refused funding moved money")
    return task


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--client-dir", required=True, help="where openapi-python-client wrote the package (--meta none)")
    parser.add_argument("--package", default="client")
    arguments = parser.parse_args()
    sys.path.insert(0, arguments.client_dir)
    api = Contract(arguments.package, os.environ["CONTRACT_BASE_URL"])
    try:
        task = lifecycle(api, os.environ["CONTRACT_API_KEY"])
    except CheckFailed as failure:
        print(f"generated client check FAILED: {failure}", file=sys.stderr)
        return 1
    print(f"generated client: lifecycle of {task} (deposit, post, fund, apply, accept, submit, approve), 402 and 409s parsed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
