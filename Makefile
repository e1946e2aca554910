# The project's front door: `make run` and `make test` do all the set-up on
# a fresh Debian or Ubuntu machine with Go installed.

SHELL := /bin/bash
GO ?= go
NPM ?= npm

DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/coproduce?sslmode=disable
export DATABASE_URL
# The server that tests create their own databases on.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
export TEST_DATABASE_URL

NHSUK := node_modules/nhsuk-frontend/dist/nhsuk
VENDOR := web/static/vendor

.PHONY: run test fuzz bench build generate assets db deps browser clean

## run: install what is missing, start PostgreSQL, load the demo on an empty database, serve on :8080
run: build db
	./bin/coproduce demo --if-empty
	LOG_FORMAT=text ./bin/coproduce serve

## test: install what is missing (PostgreSQL, Chromium, assets), then run every test
test: deps browser
	$(GO) test -count=1 -timeout 30m ./...

## browser: Debian's Chromium for the browser tests, poppler's pdftotext and pdftoppm for the PDF tests, and Java for the Nu HTML Checker
browser:
	@.make/ensure-packages.sh chromium=chromium pdftotext=poppler-utils java=default-jre-headless

# How long `make fuzz` runs each fuzz target. Shrinking each new input is
# capped at 10s (Go's default is 60s), so the time goes on fuzzing.
FUZZTIME ?= 30s

## fuzz: run every Go fuzz target for FUZZTIME each (default 30s), one at a time (see docs/fuzzing.md)
fuzz: db
	@for dir in $$(grep -rlE --include='*_test.go' '^func Fuzz' cmd internal web | xargs -n1 dirname | sort -u); do \
		for name in $$($(GO) test -list '^Fuzz' ./$$dir | grep '^Fuzz'); do \
			echo "fuzz: $$name in $$dir for $(FUZZTIME)"; \
			$(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 10s ./$$dir || exit 1; \
		done; \
	done

## bench: the Go benchmarks of the hot paths, then the load run against a large seeded trust (results in docs/bench-results.md)
bench: build db
	@.make/ensure-packages.sh pgbench=postgresql-contrib
	$(GO) test -run '^$$' -bench . -benchmem -count=1 ./...
	$(GO) run ./cmd/coproduce-bench -server bin/coproduce -admin-url "$(TEST_DATABASE_URL)"

## build: the single binary, in bin/
build: generate assets
	CGO_ENABLED=0 $(GO) build -o bin/coproduce ./cmd/coproduce

deps: generate assets db

## generate: regenerate the templ views (the generated files are committed)
generate:
	$(GO) tool templ generate -log-level error

## assets: the NHS.UK design system (its CSS built with sass, without the web fonts) and axe-core from npm, put where the binary embeds them
assets: $(VENDOR)/.stamp

$(VENDOR)/.stamp: package.json package-lock.json web/styles/nhsuk.scss
	@.make/ensure-packages.sh node=nodejs npm=npm
	$(NPM) ci --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/assets
	cp $(NHSUK)/nhsuk-frontend.min.js $(VENDOR)/
	node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps \
		web/styles/nhsuk.scss $(VENDOR)/nhsuk-frontend.min.css
	cp -r $(NHSUK)/assets/images $(VENDOR)/assets/
	mkdir -p $(VENDOR)/fonts
	cp node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf $(VENDOR)/fonts/
	touch $@

## db: make sure PostgreSQL is running and the database exists
db:
	@.make/ensure-postgres.sh

clean:
	rm -rf bin $(VENDOR) node_modules
