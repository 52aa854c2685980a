# Two commands on a fresh Debian machine with the Swift toolchain: `make run` and `make test`.
SYSTEM_PACKAGES := libsqlite3-dev libssl-dev libsecp256k1-dev
# What make test needs besides: hledger reads the exported journal, headless Chromium the HTML report.
TEST_PACKAGES := hledger chromium
DB ?= data/marketplace-test.sqlite
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: run test interop contract contract-schemathesis contract-client simulate finance-check finance-screenshot deps test-deps packages build bench bench-api bench-sign

## Install the system libraries the package links (as root), or name them and stop.
deps:
	@$(MAKE) --no-print-directory packages PACKAGES="$(SYSTEM_PACKAGES)"

test-deps:
	@$(MAKE) --no-print-directory packages PACKAGES="$(SYSTEM_PACKAGES) $(TEST_PACKAGES)"

packages:
	@missing=""; \
	for package in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "missing system packages:$$missing"; \
	    echo "install them with: sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

## Build and serve the API in test mode on an embedded SQLite file under ./data/.
run: deps
	swift build --product marketplace
	@mkdir -p $(dir $(DB))
	.build/debug/marketplace serve --db $(DB) --host $(HOST) --port $(PORT) --mode test

# Foundation's Process.run() on Linux (Swift 6.3.1) reads 256 bytes of every /proc/self/fd
# dirent, past the end of glibc's readdir buffer when that buffer sits at the top of a thread's
# malloc arena: an intermittent SIGSEGV in the tests that spawn the binary (swiftlang/
# swift-corelibs-foundation#5472, fixed upstream after 6.3.1). One arena whose top keeps 1 MiB of
# mapped slack leaves nothing unmapped within reach of that over-read.
TEST_MALLOC := GLIBC_TUNABLES=glibc.malloc.arena_max=1:glibc.malloc.top_pad=1048576 MALLOC_ARENA_MAX=1 MALLOC_TOP_PAD_=1048576
INTEROP := .build/interop/stripe-fake-webhooks.json
ETH_INTEROP := .build/interop/base-cli-signatures.json
VENV := .build/venv-stripe
ETH_VENV := .build/venv-eth
MCP_VENV := .build/venv-mcp
SCHEMATHESIS_VENV := .build/venv-schemathesis
CLIENT_VENV := .build/venv-openapi-client
CONTRACT_OUT := .build/contract

FINANCE_OUT := .build/finance-check

## Build everything once, then run every test, then the interop checks against Python packages,
## hledger and headless Chromium.
test: test-deps
	swift build --build-tests
	@rm -rf $(INTEROP) $(ETH_INTEROP) $(FINANCE_OUT)
	STRIPE_INTEROP_OUT=$(CURDIR)/$(INTEROP) ETH_INTEROP_OUT=$(CURDIR)/$(ETH_INTEROP) $(TEST_MALLOC) swift test --skip-build
	@$(MAKE) --no-print-directory interop contract simulate finance-check

SIMULATION_DB := $(FINANCE_OUT)/simulate.sqlite
# The simulation's clock starts on 2026-01-01 (UTC); its books are read as of that month's end.
SIMULATION_PERIOD := 2026-01
SIMULATION_AS_OF := 2026-01-31T23:59:59.999999Z

## A test-mode settlement run at scale through the API against fake Stripe and Base, ending with
## reconciliation (zero breaks) and ledger verify; exits non-zero on any fault (see README, Simulation).
simulate:
	@mkdir -p $(FINANCE_OUT) && rm -f $(SIMULATION_DB) $(SIMULATION_DB)-wal $(SIMULATION_DB)-shm
	.build/debug/marketplace simulate --agents 200 --tasks 2000 --seed 1 --db $(SIMULATION_DB)

## On the simulation's books: hledger parses the exported journal and its balances equal the trial
## balance; headless Chromium renders the HTML report and the trial balance read back from its DOM is ours.
finance-check:
	.build/debug/marketplace export journal --db $(SIMULATION_DB) --out $(FINANCE_OUT)/journal.ledger
	.build/debug/marketplace report trial-balance --db $(SIMULATION_DB) --out $(FINANCE_OUT)/trial-balance.json
	.build/debug/marketplace report html --db $(SIMULATION_DB) --period $(SIMULATION_PERIOD) --out $(FINANCE_OUT)/report.html
	for report in balance-sheet roll-forward frozen; do \
	  .build/debug/marketplace report $$report --db $(SIMULATION_DB) --period $(SIMULATION_PERIOD) --as-of $(SIMULATION_AS_OF) --out $(FINANCE_OUT)/$$report.json || exit 1; done
	.build/debug/marketplace report fee-revenue --db $(SIMULATION_DB) --period $(SIMULATION_PERIOD) --by month --out $(FINANCE_OUT)/fee-revenue.json
	python3 Fixtures/finance/check_hledger.py $(FINANCE_OUT)/journal.ledger $(FINANCE_OUT)/trial-balance.json
	chromium --headless --no-sandbox --disable-gpu --dump-dom file://$(CURDIR)/$(FINANCE_OUT)/report.html > $(FINANCE_OUT)/report.dom.html 2>/dev/null
	python3 Fixtures/finance/check_html.py $(FINANCE_OUT)/report.dom.html $(FINANCE_OUT)/trial-balance.json
	python3 Fixtures/finance/check_sections.py $(FINANCE_OUT)/report.dom.html $(FINANCE_OUT)

## The README's screenshot of the finance page (docs/finance-report.png), from the simulation's books.
finance-screenshot: simulate finance-check
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1300,2600 \
	  --screenshot=$(CURDIR)/docs/finance-report.png file://$(CURDIR)/$(FINANCE_OUT)/report.html 2>/dev/null

## The official stripe package (PyPI, pinned in Fixtures/stripe) accepts what the fake Stripe signed,
## eth-account (pinned in Fixtures/ethereum) recovers and decodes what our CLI signed, and the
## official MCP Python client (pinned in Fixtures/mcp) drives our MCP server over stdio and HTTP.
interop:
	@if ! command -v python3 >/dev/null; then echo "python3 not found: skipping the stripe-python interop check"; exit 0; fi; \
	set -e; \
	[ -x $(VENV)/bin/python ] || python3 -m venv $(VENV); \
	$(VENV)/bin/pip install -q --disable-pip-version-check -r Fixtures/stripe/requirements.txt; \
	$(VENV)/bin/python Fixtures/stripe/check_fake_signatures.py $(INTEROP); \
	$(VENV)/bin/python Fixtures/stripe/check_balance_types.py $(INTEROP).balance-types.json; \
	[ -x $(ETH_VENV)/bin/python ] || python3 -m venv $(ETH_VENV); \
	$(ETH_VENV)/bin/pip install -q --disable-pip-version-check -r Fixtures/ethereum/requirements.txt; \
	$(ETH_VENV)/bin/python Fixtures/ethereum/check_interop.py $(ETH_INTEROP); \
	if python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then \
	  [ -x $(MCP_VENV)/bin/python ] || python3 -m venv $(MCP_VENV); \
	  $(MCP_VENV)/bin/pip install -q --disable-pip-version-check -r Fixtures/mcp/requirements.txt; \
	  $(MCP_VENV)/bin/python Fixtures/mcp/check_mcp.py --binary .build/debug/marketplace; \
	else echo "python3 is older than 3.10 (the mcp package needs 3.10): skipping the MCP interop check"; fi

## The contract: schemathesis and a generated client against the debug server (see README, API contract).
contract: contract-schemathesis contract-client

## schemathesis (PyPI, pinned in Fixtures/openapi) over /openapi.json of a test-mode server on a
## temporary SQLite file with rate limits off, authenticated with an agent's key: bounded (a
## fixed seed, 4 examples an operation), and any server error or conformance failure fails it.
contract-schemathesis:
	@command -v python3 >/dev/null || { echo "python3 not found: skipping the schemathesis contract check"; exit 0; }; \
	set -e; mkdir -p $(CONTRACT_OUT); \
	[ -x $(SCHEMATHESIS_VENV)/bin/st ] || python3 -m venv $(SCHEMATHESIS_VENV); \
	$(SCHEMATHESIS_VENV)/bin/pip install -q --disable-pip-version-check -r Fixtures/openapi/requirements-schemathesis.txt; \
	python3 Fixtures/openapi/serve_and_run.py --binary .build/debug/marketplace -- \
	  $(SCHEMATHESIS_VENV)/bin/st run '{base_url}/openapi.json' --url '{base_url}' -H 'Authorization: Bearer {api_key}' \
	  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,unsupported_method,allow_header_conformance \
	  --phases examples,coverage,fuzzing --max-examples 4 --seed 1 --workers 2 --generation-with-security-parameters false \
	  --request-timeout 20 --no-color --report junit --report-dir $(CONTRACT_OUT)

## A Python client generated from the server's /openapi.json by openapi-python-client (PyPI, pinned
## in Fixtures/openapi) runs a lifecycle, a 402 and 409s against a fresh test-mode server.
contract-client:
	@command -v python3 >/dev/null || { echo "python3 not found: skipping the generated client check"; exit 0; }; \
	set -e; mkdir -p $(CONTRACT_OUT); \
	[ -x $(CLIENT_VENV)/bin/openapi-python-client ] || python3 -m venv $(CLIENT_VENV); \
	$(CLIENT_VENV)/bin/pip install -q --disable-pip-version-check -r Fixtures/openapi/requirements-client.txt; \
	python3 Fixtures/openapi/serve_and_run.py --binary .build/debug/marketplace -- \
	  sh -c 'curl -sf "$$CONTRACT_BASE_URL/openapi.json" -o $(CONTRACT_OUT)/openapi.json && \
	    PATH="$(CURDIR)/$(CLIENT_VENV)/bin:$$PATH" $(CLIENT_VENV)/bin/openapi-python-client generate --path $(CONTRACT_OUT)/openapi.json \
	      --meta none --output-path $(CONTRACT_OUT)/client --overwrite >$(CONTRACT_OUT)/generate.log && \
	    $(CLIENT_VENV)/bin/python Fixtures/openapi/check_client.py --client-dir $(CONTRACT_OUT) --package client'

## The ledger benchmark, release build (see README, Performance).
bench: deps
	swift build -c release --product marketplace
	.build/release/marketplace bench ledger

## Full task lifecycles over loopback HTTP, release build (see README, Performance).
bench-api: deps
	swift build -c release --product marketplace
	.build/release/marketplace bench api --concurrency 64 --lifecycles 40

## EIP-1559 signatures/s against bare libsecp256k1 signs/s, release build (see README, Performance).
bench-sign: deps
	swift build -c release --product marketplace
	.build/release/marketplace bench sign
