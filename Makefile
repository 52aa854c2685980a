# Two commands on a fresh Debian machine with the Swift toolchain: `make run` and `make test`.
SYSTEM_PACKAGES := libsqlite3-dev libssl-dev libsecp256k1-dev
DB ?= data/marketplace-test.sqlite
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: run test interop simulate deps build bench bench-api bench-sign

## Install the system libraries the package links (as root), or name them and stop.
deps:
	@missing=""; \
	for package in $(SYSTEM_PACKAGES); do \
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

INTEROP := .build/interop/stripe-fake-webhooks.json
ETH_INTEROP := .build/interop/base-cli-signatures.json
VENV := .build/venv-stripe
ETH_VENV := .build/venv-eth
MCP_VENV := .build/venv-mcp

## Build everything once, then run every test, then the interop checks against Python packages.
test: deps
	swift build --build-tests
	@rm -f $(INTEROP) $(ETH_INTEROP)
	STRIPE_INTEROP_OUT=$(CURDIR)/$(INTEROP) ETH_INTEROP_OUT=$(CURDIR)/$(ETH_INTEROP) swift test --skip-build
	@$(MAKE) --no-print-directory interop
	@$(MAKE) --no-print-directory simulate

## A test-mode settlement run at scale through the API against fake Stripe and Base, ending with
## ledger verify; exits non-zero on any fault (see README, Simulation).
simulate:
	.build/debug/marketplace simulate --agents 200 --tasks 2000 --seed 1

## The official stripe package (PyPI, pinned in Fixtures/stripe) accepts what the fake Stripe signed,
## eth-account (pinned in Fixtures/ethereum) recovers and decodes what our CLI signed, and the
## official MCP Python client (pinned in Fixtures/mcp) drives our MCP server over stdio and HTTP.
interop:
	@if ! command -v python3 >/dev/null; then echo "python3 not found: skipping the stripe-python interop check"; exit 0; fi; \
	set -e; \
	[ -x $(VENV)/bin/python ] || python3 -m venv $(VENV); \
	$(VENV)/bin/pip install -q --disable-pip-version-check -r Fixtures/stripe/requirements.txt; \
	$(VENV)/bin/python Fixtures/stripe/check_fake_signatures.py $(INTEROP); \
	[ -x $(ETH_VENV)/bin/python ] || python3 -m venv $(ETH_VENV); \
	$(ETH_VENV)/bin/pip install -q --disable-pip-version-check -r Fixtures/ethereum/requirements.txt; \
	$(ETH_VENV)/bin/python Fixtures/ethereum/check_interop.py $(ETH_INTEROP); \
	if python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then \
	  [ -x $(MCP_VENV)/bin/python ] || python3 -m venv $(MCP_VENV); \
	  $(MCP_VENV)/bin/pip install -q --disable-pip-version-check -r Fixtures/mcp/requirements.txt; \
	  $(MCP_VENV)/bin/python Fixtures/mcp/check_mcp.py --binary .build/debug/marketplace; \
	else echo "python3 is older than 3.10 (the mcp package needs 3.10): skipping the MCP interop check"; fi

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
