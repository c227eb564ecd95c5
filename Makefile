# Roundtable: `make run` opens the app, `make test` runs every test. Both install
# what is missing first (scripts/setup.sh), so they work on a fresh machine.

GO        ?= go
TAGS      := sqlite_fts5
APP_TAGS  := desktop,production,webkit2_41,$(TAGS)
DEV_TAGS  := dev,webkit2_41,$(TAGS)
# Computed once per make run (a plain ?= would run version.sh at every use), so
# that dist and test-dist agree even when a commit lands between them.
ifeq ($(origin VERSION),undefined)
VERSION   := $(shell scripts/version.sh)
endif
LDFLAGS   := -X github.com/roundtablehq/roundtable/app.Version=$(VERSION)
# Two programs (issue 12): roundtable runs the commands without linking the
# webview, and with no command hands over to roundtable-window beside it.
BIN       := build/bin/roundtable
WINDOW    := build/bin/roundtable-window
GOFILES   := $(shell find . -name '*.go' -not -path './frontend/*' 2>/dev/null) go.mod go.sum
FRONTEND  := $(shell find frontend/src frontend/index.html frontend/package.json frontend/vite.config.* -type f 2>/dev/null)

.PHONY: run test setup setup-dist build build-dev bindings frontend test-go test-frontend test-e2e test-mail bench bench-trimmers screenshots clean dist test-dist

# The command-line program opens the window (it execs roundtable-window).
run: setup build
	./$(BIN) $(ARGS)

test: setup bindings
	$(MAKE) test-go test-frontend test-e2e

setup:
	@bash scripts/setup.sh

# The TypeScript bindings are generated from the Go services; never committed.
bindings: frontend/wailsjs/go/models.ts
frontend/wailsjs/go/models.ts: $(GOFILES)
	$(GO) build -tags bindings,$(TAGS) -o build/bindgen .
	@# A throwaway workspace: with the user's own one (locked, or newer) the window
	@# would start in its error mode, which binds nothing, and the bindings come out empty.
	tmp=$$(mktemp -d) && ROUNDTABLE_WORKSPACE=$$tmp/bindings.db ./build/bindgen > build/bindgen.log 2>&1; r=$$?; rm -rf $$tmp; \
	  [ $$r -eq 0 ] && [ -f frontend/wailsjs/go/models.ts ] || { cat build/bindgen.log; exit 1; }
	@rm -f build/bindgen build/bindgen.log

frontend: frontend/dist/index.html
frontend/dist/index.html: frontend/wailsjs/go/models.ts $(FRONTEND) frontend/package-lock.json
	cd frontend && npm run build

build: $(BIN) $(WINDOW)
$(BIN): $(GOFILES)
	$(GO) build -tags $(TAGS) -ldflags "-w -s $(LDFLAGS)" -o $(BIN) ./app/cli/roundtable
$(WINDOW): frontend/dist/index.html $(GOFILES)
	$(GO) build -tags $(APP_TAGS) -ldflags "-w -s $(LDFLAGS)" -o $(WINDOW) .

build-dev: build/bin/roundtable-dev
build/bin/roundtable-dev: frontend/dist/index.html $(GOFILES)
	$(GO) build -tags $(DEV_TAGS) -ldflags "$(LDFLAGS)" -o build/bin/roundtable-dev .

test-go:
	$(GO) vet -tags $(TAGS) ./...
	$(GO) test -race -tags $(TAGS) ./...

test-frontend: frontend/wailsjs/go/models.ts
	cd frontend && npm run check && npm test

test-e2e: build-dev
	bash scripts/e2e.sh

# Packages for Linux (.deb, .tar.gz) and Windows (installer) into build/dist/;
# macOS is built by .github/workflows/macos.yml on a Mac. test-dist checks them
# (dpkg -x, lintian, the Windows installer and CLI under Wine).
setup-dist:
	@bash scripts/setup.sh --dist

dist: setup-dist bindings frontend
	VERSION=$(VERSION) bash scripts/dist/dist.sh

test-dist: dist
	VERSION=$(VERSION) bash scripts/dist/test.sh

bench:
	bash scripts/bench/run.sh

# The reply trimmer beside the open-source ones on npm (docs/benchmarks.md, issue 12).
# Needs the npm registry; make test never runs it.
bench-trimmers:
	cd scripts/bench/trimmers && npm ci --ignore-scripts --no-audit --no-fund && node compare.js

screenshots: build build-dev
	bash scripts/screenshots.sh

clean:
	rm -rf build/bin build/bindgen build/dist frontend/dist/assets frontend/dist/index.html frontend/wailsjs
