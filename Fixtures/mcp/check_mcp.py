"""Interop check: the official Python MCP client (PyPI `mcp`, pinned in requirements.txt) against
`marketplace mcp` over stdio and `marketplace serve`'s /v1/mcp over streamable HTTP.

For each transport it connects with the client's defaults (which probe and then fall back to
the initialize handshake), lists the tools, posts a test-mode task with create_task and funds
it with fund_task through the test connector, and checks the answers: the task's budget and
the escrow to the cent, as decimal strings. One database file is used by one process at a time
(serve to make the agent and its key, then `marketplace mcp`, then serve again), and
`marketplace ledger verify` checks it at the end.

    python check_mcp.py [--binary .build/debug/marketplace]

Exits non-zero on any failure; prints one summary line when everything held.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from importlib.metadata import version
from pathlib import Path

import httpx2
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

TOOLS = {
    "list_tasks", "get_task", "create_task", "update_task", "fund_task", "cancel_task", "list_applications",
    "respond_to_application", "list_submissions", "respond_to_submission", "list_messages", "send_message", "get_wallet",
    "list_transactions", "open_dispute", "get_categories", "get_pricing_info", "get_platform_info", "hide_task",
    "list_milestones", "fund_milestone", "approve_milestone",
    "search_services", "get_service_details", "create_service", "order_service", "prepare_order_payment",
}
TASK = {
    "title": "Photograph the storefront",
    "description": "Two daylight photos of 12 Main St",
    "category": "photography",
    "budget": {"amount": "25.00", "currency": "USD"},
}


class CheckFailed(Exception):
    pass


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise CheckFailed(what)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rest(base: str, method: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        raise CheckFailed(f"{method} {path}: {error.code} {error.read().decode()}") from None


class Serve:
    """`marketplace serve` on the check's database, for as long as the `with` lasts."""

    def __init__(self, binary: str, db: str, port: int) -> None:
        self.command = [binary, "serve", "--db", db, "--port", str(port), "--mode", "test"]
        self.base = f"http://127.0.0.1:{port}"

    def __enter__(self) -> "Serve":
        environment = dict(os.environ, MARKETPLACE_JWT_SECRET="k" * 40)
        self.process = subprocess.Popen(self.command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(300):
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2):
                    return self
            except OSError:
                expect(self.process.poll() is None, f"marketplace serve exited with {self.process.returncode}")
                time.sleep(0.05)
        raise CheckFailed("marketplace serve did not start")

    def __exit__(self, *_: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def make_agent(base: str) -> str:
    """Registers an agent and answers a test-mode API key with every scope an agent holds."""
    rest(base, "POST", "/v1/auth/register",
         {"email": "agent@example.com", "password": "correct horse", "full_name": "Agent", "role": "agent"})
    session = rest(base, "POST", "/v1/auth/login", {"email": "agent@example.com", "password": "correct horse"})
    scopes = ["tasks:read", "tasks:write", "wallet:read", "wallet:write", "messages:read", "messages:write"]
    key = rest(base, "POST", "/v1/keys", {"name": "python mcp", "scopes": scopes, "mode": "test"},
               token=session["data"]["access_token"])
    return key["data"]["secret"]


def answer(result, tool: str) -> dict:
    """A tool's answer: not an error, JSON text equal to its structured content."""
    expect(not result.is_error, f"{tool} failed: {result.content}")
    expect(len(result.content) == 1 and result.content[0].type == "text", f"{tool}: one text content expected")
    data = json.loads(result.content[0].text)
    expect(data == result.structured_content, f"{tool}: the text and the structured content differ")
    return data


async def post_and_fund(client: Client, transport: str) -> int:
    """Lists the tools, posts a task and funds it through the test connector; answers the tool count."""
    listed = await client.list_tools()
    names = {tool.name for tool in listed.tools}
    expect(names == TOOLS, f"{transport}: tools differ: {sorted(names ^ TOOLS)}")
    for tool in listed.tools:
        Draft202012Validator.check_schema(tool.input_schema)  # raises on a schema that is not JSON Schema 2020-12
        expect(len(tool.description or "") >= 60, f"{transport}: {tool.name} has no description an agent can act on")
    create = Draft202012Validator(next(tool for tool in listed.tools if tool.name == "create_task").input_schema)
    expect(create.is_valid(TASK), f"{transport}: create_task's schema refuses a valid task")
    expect(not create.is_valid({**TASK, "budget": {"amount": 25.5, "currency": "USD"}}),
           f"{transport}: create_task's schema lets a JSON number be money")

    refused = await client.call_tool("create_task", {**TASK, "budget": {"amount": 25.5, "currency": "USD"}})
    expect(refused.is_error, f"{transport}: a JSON number was accepted as money")
    error = json.loads(refused.content[0].text)["error"]
    expect(error["code"] == "VALIDATION_ERROR" and error["field"] == "budget.amount", f"{transport}: refusal was {error}")

    task = answer(await client.call_tool("create_task", TASK), "create_task")
    expect(task["status"] == "published" and task["mode"] == "test", f"{transport}: task is {task['status']} in {task['mode']}")
    expect(task["budget"]["amount"] == "25.00" and task["budget"]["amount_minor"] == 2500, f"{transport}: budget {task['budget']}")
    funded = answer(await client.call_tool("fund_task", {"task_id": task["id"], "source": "connector"}), "fund_task")
    expect(funded["status"] == "funded", f"{transport}: fund_task answered {funded['status']}")
    funding = funded["funding"]
    expect(funding["escrow"]["amount"] == "27.50" and funding["fee"]["amount"] == "2.50" and funding["payout"]["amount"] == "25.00",
           f"{transport}: funding {funding}")
    again = answer(await client.call_tool("fund_task", {"task_id": task["id"], "source": "connector"}), "fund_task again")
    expect(again["funding"] == funding, f"{transport}: funding twice moved money again")
    return len(names)


async def check(binary: str) -> str:
    with tempfile.TemporaryDirectory(prefix="mcp-interop-") as directory:
        db = str(Path(directory) / "marketplace.sqlite")
        port = free_port()
        with Serve(binary, db, port) as serve:
            key = make_agent(serve.base)

        stdio = StdioServerParameters(command=binary, args=["mcp", "--db", db], env={"MARKETPLACE_API_KEY": key})
        async with Client(stdio) as client:
            tools = await post_and_fund(client, "stdio")

        with Serve(binary, db, port) as serve:
            http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {key}"}, timeout=httpx2.Timeout(30, read=120))
            async with http, Client(streamable_http_client(f"{serve.base}/v1/mcp", http_client=http)) as client:
                expect(await post_and_fund(client, "HTTP") == tools, "HTTP lists another number of tools")
            mine = rest(serve.base, "GET", "/v1/tasks?mine=true", token=key)
            expect(len(mine["data"]["tasks"]) == 2, f"expected the two funded tasks, got {len(mine['data']['tasks'])}")

        verified = subprocess.run([binary, "ledger", "verify", "--db", db], capture_output=True, text=True)
        expect(verified.returncode == 0, f"ledger verify: {verified.stdout}{verified.stderr}")
        return f"mcp {version('mcp')} over stdio and HTTP: {tools} tools, task funded"


def failures(error: BaseException) -> list[BaseException]:
    """The check's own failures, also from inside the task groups' exception groups."""
    if isinstance(error, (CheckFailed, SchemaError)):
        return [error]
    return [failure for inner in getattr(error, "exceptions", ()) for failure in failures(inner)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=".build/debug/marketplace")
    binary = os.path.abspath(parser.parse_args().binary)
    try:
        print(asyncio.run(check(binary)))
    except Exception as error:
        found = failures(error)
        if not found:
            raise
        print(f"mcp interop check failed: {found[0]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
