.PHONY: test setup build dist bench fuzz lint samples

# The one command that runs the tests on a fresh machine. cmd/audit runs
# hundreds of pages in Chromium under -race: 5-9 minutes on 2 idle cores,
# past go test's default 10-minute timeout on a loaded machine.
test: setup lint
	go test -race -count=1 -timeout 40m ./...

setup:
	@./scripts/setup.sh

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt needed"; exit 1; }
	go vet ./...

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

build:
	go build -trimpath -ldflags "$(LDFLAGS)" -o bin/audit ./cmd/audit

# Release archives: a static binary for each platform, README and licence,
# tar.gz (zip for windows), and SHA256SUMS over them.
PLATFORMS := linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
dist:
	rm -rf dist && mkdir -p dist
	@set -e; for p in $(PLATFORMS); do \
		os=$${p%/*}; arch=$${p#*/}; name=audit-$(VERSION)-$$os-$$arch; ext=; \
		[ $$os = windows ] && ext=.exe; \
		mkdir -p dist/$$name; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch go build -trimpath -ldflags "$(LDFLAGS)" -o dist/$$name/audit$$ext ./cmd/audit; \
		cp README.md dist/$$name/; \
		if [ $$os = windows ]; then (cd dist && zip -qr $$name.zip $$name); \
		else tar -C dist --owner=0 --group=0 --mtime='2026-01-01' -czf dist/$$name.tar.gz $$name; fi; \
		rm -rf dist/$$name; \
	done
	cd dist && sha256sum audit-* > SHA256SUMS && cat SHA256SUMS

bench:
	go test -run '^$$' -bench . -benchmem ./scan/ ./internal/runner/
	./bench/scan.sh

# Short fuzz runs of every parser of untrusted input.
fuzz:
	./scripts/fuzz.sh

# Sample reports of the bundled example, with a fixed clock.
samples:
	rm -rf examples/amazon-pay-shop/sample-report
	go run ./cmd/audit run examples/amazon-pay-shop --offline --now 2026-11-23T10:00:00Z \
		--format json,junit,sarif,markdown,pdf --out examples/amazon-pay-shop/sample-report || test $$? -eq 1
	go run ./cmd/audit run examples/amazon-pay-shop --offline --now 2026-11-23T10:00:00Z > examples/amazon-pay-shop/sample-report/audit.txt || test $$? -eq 1
