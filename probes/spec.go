package probes

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/gocty"
)

// Helpers every kind uses to declare and read its settings.

// defaulted is an attribute that takes def when the block leaves it out.
func defaulted(name string, ty cty.Type, def cty.Value) hcldec.Spec {
	return &hcldec.DefaultSpec{
		Primary: &hcldec.AttrSpec{Name: name, Type: ty},
		Default: &hcldec.LiteralSpec{Value: def},
	}
}

// cfgString returns a string attribute, "" when it is null.
func cfgString(cfg cty.Value, name string) string {
	v := cfg.GetAttr(name)
	if v.IsNull() || !v.IsKnown() {
		return ""
	}
	return v.AsString()
}

// cfgCount returns a whole, non-negative number attribute.
func cfgCount(cfg cty.Value, name string) (int, error) {
	var n int
	if err := gocty.FromCtyValue(cfg.GetAttr(name), &n); err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	if n < 0 {
		return 0, fmt.Errorf("%s: must not be negative, got %d", name, n)
	}
	return n, nil
}

// cfgDuration returns a positive Go duration attribute ("15s").
func cfgDuration(cfg cty.Value, name string) (time.Duration, error) {
	raw := cfgString(cfg, name)
	d, err := time.ParseDuration(raw)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s %q is not a positive duration such as \"15s\"", name, raw)
	}
	return d, nil
}
