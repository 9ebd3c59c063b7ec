// Command fleetgen writes a synthetic fleet for bench/fleet.sh:
// fleetgen DIR N.
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/audit-tool/audit/internal/fleetgen"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: fleetgen DIR N")
		os.Exit(2)
	}
	n, err := strconv.Atoi(os.Args[2])
	if err != nil || n < 1 {
		fmt.Fprintln(os.Stderr, "fleetgen: N must be a positive number")
		os.Exit(2)
	}
	path, err := fleetgen.Write(os.Args[1], n, fleetgen.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "fleetgen:", err)
		os.Exit(1)
	}
	fmt.Println(path)
}
