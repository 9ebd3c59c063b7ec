package checklist

import "github.com/hashicorp/hcl/v2"

// Package-level schemas, as in Terraform's configs package: one place says
// what each file may contain.

var checklistFileSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "checklist", LabelNames: []string{"name"}},
		{Type: "fragment", LabelNames: []string{"name"}},
		{Type: "include", LabelNames: []string{"name"}},
		{Type: "input", LabelNames: []string{"name"}},
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "probe", LabelNames: []string{"kind", "name"}},
		{Type: "locals"},
		{Type: "step", LabelNames: []string{"name"}},
		{Type: "scope"},
	},
}

// probeMetaSchema is what every probe block may say besides its kind's own
// settings.
var probeMetaSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "enabled"}},
}

var checklistBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "title", Required: true},
		{Name: "description"},
	},
}

var variableBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type"},
		{Name: "default"},
		{Name: "description"},
		{Name: "block"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "validation"}},
}

var validationBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "condition", Required: true},
		{Name: "error_message", Required: true},
	},
}

var stepBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "title", Required: true},
		{Name: "description"},
		{Name: "severity", Required: true},
		{Name: "tags"},
		{Name: "references"},
		{Name: "when"},
		{Name: "skip_reason"},
		{Name: "checkable"},
		{Name: "unchecked_reason"},
		{Name: "manual"},
		{Name: "attestable"},
		{Name: "attestation_max_age_days"},
		{Name: "saq"},
		{Name: "pass_message"},
		{Name: "evidence"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "assert"}},
}

var assertBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "condition", Required: true},
		{Name: "message", Required: true},
		{Name: "evidence"},
	},
}

var scopeBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "saq", Required: true},
		{Name: "reasons", Required: true},
		{Name: "step"},
	},
}

var integrationFileSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		// How far ahead a waiver may expire, in months (default 12).
		{Name: "max_waiver_months"},
		// Folders outside the integration's own that its paths may name.
		{Name: "allow_paths_outside"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "use", LabelNames: []string{"checklist"}},
		{Type: "attest", LabelNames: []string{"step"}},
		{Type: "waiver", LabelNames: []string{"step"}},
	},
}

var attestBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "by", Required: true},
		{Name: "date", Required: true},
		{Name: "evidence", Required: true},
	},
}

var waiverBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "reason", Required: true},
		{Name: "approved_by", Required: true},
		{Name: "expires", Required: true},
		{Name: "ticket"},
	},
}

// fragmentBlockSchema is the header of a fragment file.
var fragmentBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "description"}},
}

// fragmentInputsSchema reads a fragment's input declarations alone, before
// the rest of it is decoded with their values.
var fragmentInputsSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{{Type: "input", LabelNames: []string{"name"}}},
}

var inputBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "default"}, {Name: "description"}},
}
