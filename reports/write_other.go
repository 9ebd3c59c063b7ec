//go:build !linux

package reports

import (
	"errors"
	"os"
)

func createTemp(dir string) (*tempFile, error) { return createNamedTemp(dir) }

func linkUnnamed(*os.File, string) error { return errors.New("no unnamed files here") }
