// Command pgserver starts a throwaway PostgreSQL for bench/fleet.sh (the
// same server the tests start: a temporary folder, 127.0.0.1, an
// unprivileged user), prints the URL of a fresh database, and stops the
// server when its standard input closes.
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/audit-tool/audit/internal/testenv"
)

func main() {
	pg, err := testenv.StartPostgres()
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgserver:", err)
		os.Exit(1)
	}
	defer pg.Stop()
	url, err := pg.NewDatabase(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgserver:", err)
		return
	}
	fmt.Println(url)
	_, _ = io.Copy(io.Discard, os.Stdin)
}
