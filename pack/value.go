package pack

import "github.com/zclconf/go-cty/cty"

// Value is the packs as checklists see them, provider["NAME"]: title,
// docs, test_cards, endpoints (name, purpose, environment, region, hosts),
// credentials (name, kind, mode, secret) and webhook (scheme, header,
// algorithm, docs; null without one). The pci-dss checklist takes its
// provider host list from it.
func (s *Set) Value() cty.Value { return s.value }

var (
	endpointValType = cty.Object(map[string]cty.Type{
		"name": cty.String, "purpose": cty.String, "environment": cty.String,
		"region": cty.String, "hosts": cty.List(cty.String),
	})
	credentialValType = cty.Object(map[string]cty.Type{
		"name": cty.String, "kind": cty.String, "mode": cty.String, "secret": cty.Bool,
	})
	webhookValType = cty.Object(map[string]cty.Type{
		"scheme": cty.String, "header": cty.String, "algorithm": cty.String, "docs": cty.String,
	})
)

func setValue(packs []*Pack) cty.Value {
	m := map[string]cty.Value{}
	for _, p := range packs {
		m[p.Name] = p.value()
	}
	return cty.ObjectVal(m)
}

func (p *Pack) value() cty.Value {
	var ends, creds []cty.Value
	for _, e := range p.Endpoints {
		ends = append(ends, cty.ObjectVal(map[string]cty.Value{
			"name": cty.StringVal(e.Name), "purpose": cty.StringVal(e.Purpose),
			"environment": cty.StringVal(e.Environment), "region": cty.StringVal(e.Region),
			"hosts": strList(e.Hosts),
		}))
	}
	for _, c := range p.Credentials {
		creds = append(creds, cty.ObjectVal(map[string]cty.Value{
			"name": cty.StringVal(c.Name), "kind": cty.StringVal(c.Kind),
			"mode": cty.StringVal(c.Mode), "secret": cty.BoolVal(c.Secret),
		}))
	}
	webhook := cty.NullVal(webhookValType)
	if w := p.Webhook; w != nil {
		webhook = cty.ObjectVal(map[string]cty.Value{
			"scheme": cty.StringVal(w.Scheme), "header": cty.StringVal(w.Header),
			"algorithm": cty.StringVal(w.Algorithm), "docs": cty.StringVal(w.Docs),
		})
	}
	return cty.ObjectVal(map[string]cty.Value{
		"title":       cty.StringVal(p.Title),
		"docs":        strList(p.Docs),
		"test_cards":  strList(p.TestCards),
		"endpoints":   list(endpointValType, ends),
		"credentials": list(credentialValType, creds),
		"webhook":     webhook,
	})
}

func strList(ss []string) cty.Value {
	vals := make([]cty.Value, len(ss))
	for i, s := range ss {
		vals[i] = cty.StringVal(s)
	}
	return list(cty.String, vals)
}

func list(t cty.Type, vals []cty.Value) cty.Value {
	if len(vals) == 0 {
		return cty.ListValEmpty(t)
	}
	return cty.ListVal(vals)
}
