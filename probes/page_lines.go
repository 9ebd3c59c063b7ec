package probes

import "strings"

// sourceLines gives the elements read from the rendered DOM the lines of
// the document as received (orig), matching them by tag and attributes in
// page order: the DOM drops and moves whitespace, so its own line numbers
// drift. An element the source does not have was built by a script; it
// gets line 0, which evidence shows as the page as a whole, and a form
// is marked built (a form-jacker's, or one whose action a script changed).
func (s *pageScan) sourceLines(orig *pageScan) {
	lines := map[string][]int{}
	add := func(key string, line int) { lines[key] = append(lines[key], line) }
	take := func(key string) int {
		q := lines[key]
		if len(q) == 0 {
			return 0
		}
		lines[key] = q[1:]
		return q[0]
	}
	for _, sc := range orig.scripts {
		if !sc.inline {
			add("script\x00"+strings.TrimSpace(sc.src), sc.line)
		}
	}
	for _, r := range orig.iframes {
		add("iframe\x00"+r.ref, r.line)
	}
	for _, r := range orig.links {
		add("a\x00"+r.ref, r.line)
	}
	for _, f := range orig.forms {
		add("form\x00"+f.action+"\x00"+f.method, f.line)
	}
	for _, at := range orig.inputs {
		add(inputKey(at.in), at.in.line)
	}

	for i := range s.scripts {
		if !s.scripts[i].inline {
			s.scripts[i].line = take("script\x00" + strings.TrimSpace(s.scripts[i].src))
		}
	}
	for i := range s.iframes {
		s.iframes[i].line = take("iframe\x00" + s.iframes[i].ref)
	}
	for i := range s.links {
		s.links[i].line = take("a\x00" + s.links[i].ref)
	}
	for i := range s.forms {
		s.forms[i].line = take("form\x00" + s.forms[i].action + "\x00" + s.forms[i].method)
		s.forms[i].built = s.forms[i].line == 0
	}
	for i := range s.inputs {
		s.inputs[i].in.line = take(inputKey(s.inputs[i].in))
	}
	// The card fields follow their inputs.
	s.cardFields = nil
	s.classifyInputs()

	// Calls in inline scripts: the serialised DOM joins or splits lines
	// (the doctype and <html> on one line), so the k-th inline call of a
	// callee takes the line of the k-th in the page as written, and its
	// options shift with it.
	calls := map[string][]int{}
	for _, c := range orig.jsCalls {
		if c.file == "" {
			calls[c.want.callee] = append(calls[c.want.callee], c.line)
		}
	}
	for i := range s.jsCalls {
		c := &s.jsCalls[i]
		q := calls[c.want.callee]
		if c.file != "" || len(q) == 0 {
			continue
		}
		calls[c.want.callee] = q[1:]
		c.options.shift(q[0] - c.line)
		c.line = q[0]
	}
}

// shift moves a value's lines, and its fields' and items', by delta.
func (v *jsValue) shift(delta int) {
	if delta == 0 {
		return
	}
	if v.line > 0 {
		v.line += delta
	}
	for k, f := range v.fields {
		f.shift(delta)
		v.fields[k] = f
	}
	for i := range v.items {
		v.items[i].shift(delta)
	}
}

func inputKey(in pageInput) string {
	return "input\x00" + in.name + "\x00" + in.id + "\x00" + in.typ
}
