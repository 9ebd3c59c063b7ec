package scan

import (
	"bufio"
	"cmp"
	"errors"
	"io"
	"iter"
	"reflect"
	"slices"
	"strings"
)

// Report is the outcome of a scan. Its findings are not held in memory (a
// tree can hold millions): Findings and MaskedPANs read them back, sorted
// by file, line and column, as often as needed. Skipped and Excluded are
// sorted by file. Close removes what the report keeps on disk.
type Report struct {
	FilesScanned int64 `json:"files_scanned"`
	BytesScanned int64 `json:"bytes_scanned"` // decompressed bytes for archives
	// Skipped is what could not be read, with the reason: while it is not
	// empty, no finding-free result proves anything.
	Skipped []Skipped `json:"skipped"`
	// Excluded is what the user left out on purpose, with their reason.
	Excluded []Skipped `json:"excluded"`
	// Counts sum the findings up.
	Counts Counts `json:"-"`

	groups  []group // sorted by name
	spills  []*spill
	listed  []Finding // added by hand
	mapText func(string) string
	err     error
}

// Counts sum a report's findings up by what they are.
type Counts struct {
	PANs        int // real card numbers
	TestCards   int // published test card numbers
	SAD         int // track data, CVVs
	LiveSecrets int
	TestSecrets int
	Live        int // findings that fail a scan: card numbers, live SAD and secrets
	MaskedPANs  int // partly masked card numbers, compliant or not
}

func (c *Counts) add(typ string, test, live bool) {
	switch {
	case typ == TypeMaskedPAN:
		c.MaskedPANs++
		return
	case typ == TypeSAD:
		c.SAD++
	case typ == TypePAN && test:
		c.TestCards++
	case typ == TypePAN:
		c.PANs++
	case live:
		c.LiveSecrets++
	default:
		c.TestSecrets++
	}
	if live {
		c.Live++
	}
}

// Complete reports whether everything not deliberately excluded was read.
func (r *Report) Complete() bool { return len(r.Skipped) == 0 }

// Live reports whether the scan found a real card number or a live secret.
func (r *Report) Live() bool { return r.Counts.Live > 0 }

// Add appends findings held in memory, for a report built by hand (a
// test, a converter); they come after a scan's own.
func (r *Report) Add(fs ...Finding) {
	for _, f := range fs {
		r.Counts.add(f.Type, f.TestCard, f.Live)
	}
	r.listed = append(r.listed, fs...)
}

// MapText applies f to every string the report prints: the names and
// reasons of Skipped and Excluded now, and every string field of each
// finding as it is read back. It is the masking boundary of what a scan
// prints; fields added later are mapped without anyone remembering to.
func (r *Report) MapText(f func(string) string) {
	for _, list := range [][]Skipped{r.Skipped, r.Excluded} {
		for i := range list {
			mapStrings(reflect.ValueOf(&list[i]).Elem(), f)
		}
	}
	memo := map[string]string{}
	g := f
	if prev := r.mapText; prev != nil {
		g = func(s string) string { return f(prev(s)) }
	}
	r.mapText = func(s string) string { // names and labels repeat: map each once
		if maskedValue(s) {
			return g(s) // unique (a hash, a card's digits) and quick to map: memoised, they cost more
		}
		if m, ok := memo[s]; ok {
			return m
		}
		if len(memo) > 4096 {
			clear(memo)
		}
		m := g(s)
		memo[s] = m
		return m
	}
}

func mapStrings(v reflect.Value, f func(string) string) {
	for _, i := range stringFields(v.Type()) {
		fv := v.Field(i)
		fv.SetString(f(fv.String()))
	}
}

// stringFields lists the exported string fields of the struct type t.
func stringFields(t reflect.Type) []int {
	var fs []int
	for i := range t.NumField() {
		if sf := t.Field(i); sf.Type.Kind() == reflect.String && sf.IsExported() {
			fs = append(fs, i)
		}
	}
	return fs
}

// fieldMapper maps the exported string fields of values of one struct
// type, found once by reflection: findings are read back by the million.
// Consecutive values mostly share a field's text (the file, the type, the
// brand), so each field's last mapping is kept.
type fieldMapper struct {
	fields  []int
	f       func(string) string
	in, out []string // per field: the last text mapped, and what it became
	seen    []bool
}

func newFieldMapper[T any](f func(string) string) *fieldMapper {
	fs := stringFields(reflect.TypeFor[T]())
	return &fieldMapper{fields: fs, f: f, in: make([]string, len(fs)), out: make([]string, len(fs)), seen: make([]bool, len(fs))}
}

// apply maps the fields of *v (a pointer to the mapper's type).
func (m *fieldMapper) apply(v any) {
	if m.f == nil {
		return
	}
	e := reflect.ValueOf(v).Elem()
	for k, i := range m.fields {
		fv := e.Field(i)
		s := fv.String()
		if !m.seen[k] || s != m.in[k] {
			m.in[k], m.out[k], m.seen[k] = s, m.f(s), true
		}
		fv.SetString(m.out[k])
	}
}

// Err is the error that ended a reading of the findings early (the
// temporary file they were kept in became unreadable), or nil.
func (r *Report) Err() error { return r.err }

// Close removes the temporary files holding the findings; they cannot be
// read afterwards.
func (r *Report) Close() error {
	var errs []error
	for _, s := range r.spills {
		errs = append(errs, s.close())
	}
	r.spills, r.groups = nil, nil
	return errors.Join(errs...)
}

// Findings yields the findings, sorted by file, line and column. A
// failure to read them back stops it and is kept for Err.
func (r *Report) Findings() iter.Seq[Finding] {
	return func(yield func(Finding) bool) {
		m := newFieldMapper[Finding](r.mapText)
		var ok bool
		stopped := false
		each := func(emit func(Finding) bool) {
			ok = r.entries(false, func(g *group, e entry) bool {
				f := Finding{
					Type: g.s.labels[e.typ], Brand: g.s.labels[e.brand], Kind: g.s.labels[e.kind], Masked: e.masked,
					TestCard: e.test, Live: e.live, File: g.name, Line: e.line, Column: e.column,
				}
				m.apply(&f)
				return emit(f)
			})
		}
		if r.Counts.Findings() >= readAheadMin {
			stopped = !readAhead(each, yield)
		} else {
			each(func(f Finding) bool { stopped = !yield(f); return !stopped })
		}
		if !ok || stopped {
			return
		}
		for _, f := range r.listed {
			m.apply(&f)
			if !yield(f) {
				return
			}
		}
	}
}

// readAheadMin is how many findings make reading them back ahead of the
// renderer worth a goroutine.
const readAheadMin = 1024

// readAhead calls each on another goroutine and yields what it emits, in
// order, until yield returns false (then each's emit returns false): the
// findings are read back, decoded and masked on one core while the
// renderer writes them on another. It returns once each has returned, and
// reports whether yield took every value. A panic in each is raised again
// here, where the caller can recover it.
func readAhead[T any](each func(emit func(T) bool), yield func(T) bool) bool {
	const batch = 256
	full := make(chan []T, 4)
	free := make(chan []T, 6)
	stop := make(chan struct{})
	var panicked any
	go func() {
		defer close(full)
		defer func() { panicked = recover() }()
		b := make([]T, 0, batch)
		send := func() bool {
			select {
			case full <- b:
			case <-stop:
				return false
			}
			select {
			case b = <-free:
				b = b[:0]
			default:
				b = make([]T, 0, batch)
			}
			return true
		}
		each(func(v T) bool {
			b = append(b, v)
			return len(b) < batch || send()
		})
		if len(b) > 0 {
			send()
		}
	}()
	took := true
	for b := range full { // drained to the end: each has returned when it closes
		for _, v := range b {
			if took && !yield(v) {
				took = false
				close(stop)
			}
		}
		select {
		case free <- b:
		default:
		}
	}
	if panicked != nil {
		panic(panicked)
	}
	return took
}

// MaskedPANs yields the partly masked card numbers (PCI DSS 3.4.1),
// sorted like Findings; the ones showing more than 6+4 digits are not
// compliant. They reach checklists through the scan probe, not the scan
// JSON contract (yet).
func (r *Report) MaskedPANs() iter.Seq[MaskedPAN] {
	return func(yield func(MaskedPAN) bool) {
		mp := newFieldMapper[MaskedPAN](r.mapText)
		r.entries(true, func(g *group, e entry) bool {
			m := MaskedPAN{
				Brand: g.s.labels[e.brand], Masked: e.masked, VisibleFirst: e.first, VisibleLast: e.last,
				Compliant: !e.live, File: g.name, Line: e.line, Column: e.column,
			}
			mp.apply(&m)
			return yield(m)
		})
	}
}

// entries reads the spilled entries back in order, masked card numbers or
// the others, and reports whether it went to the end.
func (r *Report) entries(masked bool, yield func(*group, entry) bool) bool {
	for i := 0; i < len(r.groups); {
		j := i + 1
		for j < len(r.groups) && r.groups[j].name == r.groups[i].name {
			j++
		}
		if ok, err := mergeGroups(r.groups[i:j], masked, yield); err != nil {
			r.err = err
			return false
		} else if !ok {
			return false
		}
		i = j
	}
	return true
}

// cursor over one group's entries: a run of groups read one after the
// other (the chunks of a split file, in order).
type groupReader struct {
	run     []*group
	r       *bufio.Reader // the current group's, nil before the first
	masked  bool
	scratch []byte
	head    entry
	hg      *group
	ok      bool
}

func (gr *groupReader) next() error {
	for {
		if gr.r == nil {
			if len(gr.run) == 0 {
				gr.ok = false
				return nil
			}
			g := gr.run[0]
			gr.run = gr.run[1:]
			if gr.masked && g.masked == 0 {
				continue
			}
			br, err := g.s.spill.section(g.from, g.to)
			if err != nil {
				return err
			}
			gr.r, gr.hg = br, g
		}
		e, err := readEntry(gr.r, &gr.scratch)
		if err == io.EOF {
			gr.r = nil
			continue
		}
		if err != nil {
			return err
		}
		if (gr.hg.s.labels[e.typ] == TypeMaskedPAN) != gr.masked {
			continue
		}
		if sp := gr.hg.split; sp != nil {
			e.line, e.column = sp.place(gr.hg.chunk, e.line, e.column)
		}
		gr.head, gr.ok = e, true
		return nil
	}
}

// mergeGroups yields the entries of groups of one name in position order:
// groups of one split file follow each other; anything else (a file
// named twice) is merged.
func mergeGroups(gs []group, masked bool, yield func(*group, entry) bool) (bool, error) {
	var runs []*groupReader
	splits := map[*splitFile]*groupReader{}
	for i := range gs {
		g := &gs[i]
		if g.split != nil {
			if gr := splits[g.split]; gr != nil {
				gr.run = append(gr.run, g)
				continue
			}
		}
		gr := &groupReader{run: []*group{g}, masked: masked}
		if g.split != nil {
			splits[g.split] = gr
		}
		runs = append(runs, gr)
	}
	for _, gr := range runs {
		slices.SortFunc(gr.run, func(a, b *group) int { return a.chunk - b.chunk })
		if err := gr.next(); err != nil {
			return false, err
		}
	}
	for {
		var best *groupReader
		for _, gr := range runs {
			if gr.ok && (best == nil || cmp.Or(gr.head.line-best.head.line, gr.head.column-best.head.column) < 0) {
				best = gr
			}
		}
		if best == nil {
			return true, nil
		}
		if !yield(best.hg, best.head) {
			return false, nil
		}
		if err := best.next(); err != nil {
			return false, err
		}
	}
}

// collect gathers what the streamers found into r, groups sorted by name.
func (r *Report) collect(ss []*streamer) {
	for _, s := range ss {
		s.spill.done()
		r.spills = append(r.spills, &s.spill)
		r.groups = append(r.groups, s.groups...)
		c := s.counts
		r.Counts.PANs += c.PANs
		r.Counts.TestCards += c.TestCards
		r.Counts.SAD += c.SAD
		r.Counts.LiveSecrets += c.LiveSecrets
		r.Counts.TestSecrets += c.TestSecrets
		r.Counts.Live += c.Live
		r.Counts.MaskedPANs += c.MaskedPANs
	}
	slices.SortStableFunc(r.groups, func(a, b group) int { return strings.Compare(a.name, b.name) })
}

// Findings is how many findings the counts sum up, masked card numbers
// left out.
func (c Counts) Findings() int { return c.PANs + c.TestCards + c.SAD + c.LiveSecrets + c.TestSecrets }
