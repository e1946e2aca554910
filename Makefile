# The project's front door: `make run` and `make test` do all the set-up on
# a fresh Debian or Ubuntu machine with Go installed.

SHELL := /bin/bash
GO ?= go
NPM ?= npm

# The approved Go release. Every go command that make runs uses it: the go
# command fetches it through the Go module proxy the first time (about 76 MB)
# and keeps it in the module cache. go.mod's go line names it too, so an older
# Go refuses to build the project rather than build it with the standard-library
# vulnerabilities fixed since (see README and docs/operations.md). Set here,
# not taken from the environment (the golang container images set
# GOTOOLCHAIN=local); `make GOTOOLCHAIN=...` still overrides it.
GOTOOLCHAIN := go1.27.3
export GOTOOLCHAIN

DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/coproduce?sslmode=disable
export DATABASE_URL
# The server that tests create their own databases on.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
export TEST_DATABASE_URL

NHSUK := node_modules/nhsuk-frontend/dist/nhsuk
VENDOR := web/static/vendor

.PHONY: run test vulncheck fuzz bench mutate build generate assets db deps browser pdf clean

## run: install what is missing, start PostgreSQL, load the demo on an empty database, serve on :8080
run: build db pdf
	./bin/coproduce demo --if-empty
	LOG_FORMAT=text ./bin/coproduce serve

## test: install what is missing (PostgreSQL, Chromium, assets), check for known vulnerabilities, then run every test
test: deps browser vulncheck
	$(GO) test -count=1 -timeout 60m ./...

# The Go vulnerability database: one version of the golang.org/x/vulndb
# module, fetched through the Go module proxy like any module. Bump it to
# learn of newer vulnerabilities (see docs/operations.md).
VULNDB_VERSION := v0.0.0-20261105234957-e22db6528018
VULNDB := bin/vulndb/$(VULNDB_VERSION)

## vulncheck: govulncheck against the vulnerability database built from VULNDB_VERSION; fails if our code can reach a known vulnerability
vulncheck: assets $(VULNDB)/index/modules.json
	$(GO) tool govulncheck -db file://$(CURDIR)/$(VULNDB) ./...

$(VULNDB)/index/modules.json:
	$(GO) run ./internal/tools/vulndb -module golang.org/x/vulndb@$(VULNDB_VERSION) -out $(VULNDB)

## browser: Debian's Chromium and fonts (make pdf) for the browser tests, poppler's pdftotext and pdftoppm for the PDF tests, and Java for the Nu HTML Checker
browser: pdf
	@.make/ensure-packages.sh pdftotext=poppler-utils java=default-jre-headless

# The fonts Chromium prints PDFs with, one file of each Debian package:
# Noto for Latin (Welsh, Polish, Romanian), Arabic and Urdu, Bengali and
# Gurmukhi (fonts-noto-core), and Chinese, Japanese and Korean
# (fonts-noto-cjk). The Dockerfile's runtime installs the same.
NOTO := /usr/share/fonts/truetype/noto
PDF_FONTS := $(NOTO)/NotoSansBengali-Regular.ttf=fonts-noto-core \
	/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc=fonts-noto-cjk

## pdf: what the server needs to make PDFs: Debian's Chromium and the Noto fonts for the scripts people write in
pdf:
	@.make/ensure-packages.sh chromium=chromium $(PDF_FONTS)

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

# The Go mutation tool, run at this version through the Go module proxy (a
# tool run now and then, so not a dependency of the module).
GREMLINS := github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0
# MUTANTS picks some of our own mutants by their description, e.g. MUTANTS=money.
MUTANTS ?=

## mutate: break the code on purpose and count the breaks the tests catch: gremlins over the domain package, then our own mutants of the rules about money, votes, access and personal data in SQL and handlers (slow, not part of test; see docs/development.md)
mutate: db
	$(GO) run $(GREMLINS) unleash --timeout-coefficient 60 ./internal/coproduce
	$(GO) run ./internal/tools/mutate -list .make/mutants.tsv -run '$(MUTANTS)'

## bench: the Go benchmarks of the hot paths, then the load run against a large seeded trust (results in docs/bench-results.md); BURN=1 runs a CPU burner of its own beside it
bench: build db
	@.make/ensure-packages.sh pgbench=postgresql-contrib
	$(GO) test -run '^$$' -bench . -benchmem -count=1 ./...
	$(GO) run ./cmd/coproduce-bench -server bin/coproduce -admin-url "$(TEST_DATABASE_URL)" $(if $(BURN),-burn $(BURN))

## build: the single binary, in bin/
build: generate assets
	CGO_ENABLED=0 $(GO) build -o bin/coproduce ./cmd/coproduce

deps: generate assets db

## generate: regenerate the templ views (the generated files are committed)
generate:
	$(GO) tool templ generate -log-level error

## assets: the NHS.UK design system (its CSS built with sass, without the web fonts), easy read's pictures and axe-core from npm, put where the binary embeds them
assets: $(VENDOR)/.stamp

TABLER := node_modules/@tabler/icons/icons/outline

$(VENDOR)/.stamp: package.json package-lock.json web/styles/nhsuk.scss web/pictures.txt
	@.make/ensure-packages.sh node=nodejs npm=npm
	$(NPM) ci --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/assets
	cp $(NHSUK)/nhsuk-frontend.min.js $(VENDOR)/
	node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps \
		web/styles/nhsuk.scss $(VENDOR)/nhsuk-frontend.min.css
	cp -r $(NHSUK)/assets/images $(VENDOR)/assets/
	mkdir -p $(VENDOR)/pictures
	cp node_modules/@tabler/icons/LICENSE $(VENDOR)/pictures/
	for name in $$(grep -v '^#' web/pictures.txt); do \
		sed 's/currentColor/#005eb8/g' $(TABLER)/$$name.svg > $(VENDOR)/pictures/$$name.svg || exit 1; \
	done
	touch $@

## db: make sure PostgreSQL is running and the database exists
db:
	@.make/ensure-postgres.sh

clean:
	rm -rf bin $(VENDOR) node_modules
