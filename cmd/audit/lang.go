package main

import (
	"os"
	"slices"
	"strings"

	"github.com/spf13/pflag"
)

// langs are the report languages (contract: --lang en|fr|de).
var langs = []string{"en", "fr", "de"}

func langFlag(fl *pflag.FlagSet, p *string) {
	fl.StringVar(p, "lang", "", "report language: en, fr or de (default: from LC_ALL or LANG, else en)")
}

// parseLang checks --lang; without it the language comes from the locale
// (LC_ALL, then LANG: "fr_FR.UTF-8" is fr), and is en when that is none of
// ours.
func parseLang(flag string) (string, error) {
	if flag != "" {
		if !slices.Contains(langs, flag) {
			return "", usageErr("--lang %q is not one of %s", flag, strings.Join(langs, ", "))
		}
		return flag, nil
	}
	for _, env := range []string{"LC_ALL", "LANG"} {
		v := os.Getenv(env)
		if v == "" {
			continue
		}
		if l := strings.ToLower(v); len(l) >= 2 && slices.Contains(langs, l[:2]) {
			return l[:2], nil
		}
		break // the first set variable decides, as setlocale does
	}
	return "en", nil
}
