.PHONY: test setup build bench fuzz lint

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
