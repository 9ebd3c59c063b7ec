.PHONY: test setup build bench fuzz lint samples

# The one command that runs the tests on a fresh machine.
test: setup lint
	go test -race -count=1 ./...

setup:
	@./scripts/setup.sh

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt needed"; exit 1; }
	go vet ./...

build:
	go build -o bin/audit ./cmd/audit

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
