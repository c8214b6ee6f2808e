# Set-up on Debian 12 with the Swift toolchain: `make run` serves the API locally, `make test` tests it.

SWIFT ?= swift
STATE ?= .local
HTTPS_PORT ?= 8443
SECONDS ?= 60

.PHONY: packages build release run token test fuzz clean

packages:
	deploy/local/install-packages

build: packages
	$(SWIFT) build

release: packages
	$(SWIFT) build -c release

## Serve the API at https://localhost:$(HTTPS_PORT) on a local development identity; Ctrl-C stops it.
run: build
	deploy/local/devstack run $(STATE) $(HTTPS_PORT)

## Print a fresh token for the running local stack.
token:
	@test -f $(STATE)/run/responder.pid || { echo "No local stack runs in $(STATE)/: start one with make run first." >&2; exit 1; }
	@set -a && . $(STATE)/env && set +a && .build/debug/processo-api dev-token

## Unit and end-to-end tests (the end-to-end suite starts its own nginx and responder).
test: packages
	$(SWIFT) build --build-tests
	$(SWIFT) test

## Fuzz token parsing and validation with libFuzzer for SECONDS seconds (default 60); crashes go to Tests/Fuzz/crashes/.
fuzz: packages
	Tests/Fuzz/run $(SECONDS)

clean:
	deploy/local/devstack down $(STATE) 2>/dev/null || true
	rm -rf .build $(STATE)
