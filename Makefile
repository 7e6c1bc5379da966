# Two commands matter: `make run` and `make test`. Both install what they need first.

CARGO ?= cargo
SCHEMATHESIS_SECONDS ?= 240
DESKTOP_BIN := target/debug/switchboard-desktop

.PHONY: run test deps test-deps ui ui-test desktop cli bindings screenshot screenshots serve lint clean api-fuzz

run: deps desktop
	./$(DESKTOP_BIN)

# One build of the whole workspace with its tests: cargo resolves features per command, so
# building the app, the CLI and the tests by separate `-p` commands compiled every
# dependency up to three times (CI once ran out of disk that way). The binaries the tests
# start (the app, the CLI) come out of this same build.
# The screenshots test walks every screen here too, writing into target/ instead of docs/.
# Then schemathesis holds a real server to its OpenAPI document for a bounded time.
test: test-deps ui lint ui-test
	$(CARGO) build --workspace --lib --bins --tests
	SCREENSHOT_DIR=$(CURDIR)/target/screenshots scripts/with-session.sh $(CARGO) nextest run --workspace --run-ignored all --no-fail-fast
	SWITCHBOARD_BIN=target/debug/switchboard scripts/schemathesis.sh $(SCHEMATHESIS_SECONDS)

# schemathesis alone against a fresh demo server (SCHEMATHESIS_SECONDS, default 240).
api-fuzz: cli
	scripts/schemathesis.sh $(SCHEMATHESIS_SECONDS)

deps:
	scripts/install-deps.sh

test-deps:
	scripts/install-deps.sh --test

ui:
	cd ui && npm run build

# The window's components in jsdom, with the Rust bridge answered by the test.
ui-test:
	cd ui && npm test

# Tests run the real `switchboard` binary (a server killed with SIGKILL and restarted).
cli:
	$(CARGO) build -p switchboard-cli

# The app embeds ui/dist at compile time, so the UI is built first.
desktop: ui
	$(CARGO) build -p switchboard-desktop

lint:
	$(CARGO) fmt --all --check

# Regenerates ui/src/lib/bindings.ts from the Rust commands and types.
bindings:
	@mkdir -p ui/dist && [ -f ui/dist/index.html ] || echo '<!doctype html>' > ui/dist/index.html
	UPDATE_BINDINGS=1 $(CARGO) nextest run --workspace -E "binary_id(switchboard-desktop::bindings)"
	cd ui && npm run build

# A PNG of the real window on a fresh local workspace: artifacts/screenshot.png.
screenshot: deps desktop
	scripts/screenshot.sh

# A PNG of every screen of the real app in docs/screenshots/ (look at each one).
screenshots: test-deps desktop
	scripts/with-session.sh $(CARGO) nextest run --workspace --run-ignored all -E "binary_id(switchboard-tests::it) & test(/^screenshots::/)"

# The workspace server alone, with the demo clinic, on http://127.0.0.1:8080.
serve:
	$(CARGO) run -p switchboard-cli -- serve --db switchboard.sqlite3 --demo

clean:
	$(CARGO) clean
	rm -rf ui/dist artifacts
