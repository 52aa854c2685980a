"""Runs one command against a fresh `marketplace serve`: test mode, a temporary SQLite file, the
per-minute rate limits lifted (MARKETPLACE_RATE_LIMITS=off). Before the command it registers an
agent (POST /v1/agents/register, which answers a test-mode API key) and passes the server and
the key to the command as CONTRACT_BASE_URL and CONTRACT_API_KEY; in the command's arguments
{base_url} and {api_key} are replaced by them too. The server is stopped at the end, also when
the command fails, and its log is printed when the command failed.

    python serve_and_run.py --binary .build/debug/marketplace -- COMMAND ARG…

Exits with the command's status (non-zero when the server does not start).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_healthy(base_url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"marketplace serve exited with {server.returncode} before answering")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("marketplace serve did not answer /healthz within a minute")


def register_agent(base_url: str) -> str:
    body = json.dumps({"name": "Contract agent", "email": "contract-agent@example.com"}).encode()
    request = urllib.request.Request(f"{base_url}/v1/agents/register", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)["data"]["api_key"]["secret"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/debug/marketplace")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    arguments = parser.parse_args()
    command = arguments.command[1:] if arguments.command[:1] == ["--"] else arguments.command
    if not command:
        parser.error("no command to run")
    with tempfile.TemporaryDirectory(prefix="marketplace-contract-") as directory:
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        environment = dict(os.environ, MARKETPLACE_RATE_LIMITS="off", MARKETPLACE_LOG_LEVEL="warning",
                           MARKETPLACE_JWT_SECRET="contract-run-signing-secret-0123456789abcdef")
        log_path = os.path.join(directory, "serve.log")
        with open(log_path, "w") as log:
            server = subprocess.Popen([arguments.binary, "serve", "--db", os.path.join(directory, "contract.sqlite"),
                                       "--port", str(port), "--mode", "test"], stdout=log, stderr=subprocess.STDOUT, env=environment)
            status = 1
            try:
                wait_healthy(base_url, server)
                api_key = register_agent(base_url)
                child = dict(environment, CONTRACT_BASE_URL=base_url, CONTRACT_API_KEY=api_key)
                command = [part.replace("{base_url}", base_url).replace("{api_key}", api_key) for part in command]
                status = subprocess.call(command, env=child)
            finally:
                server.terminate()
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
        if status != 0:
            with open(log_path) as log:
                sys.stderr.write(log.read()[-20000:])
    return status


if __name__ == "__main__":
    sys.exit(main())
