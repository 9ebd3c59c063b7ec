package probes

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/joho/godotenv"
	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
	"github.com/zclconf/go-cty/cty"
	"go.yaml.in/yaml/v3"

	"github.com/audit-tool/audit/internal/input"
	"github.com/audit-tool/audit/lexer"
)

// Limits against hostile files: nesting deeper than any real configuration,
// and YAML alias expansion ("billion laughs").
const (
	maxConfigDepth   = 1000
	maxConfigEntries = 1 << 17
)

var configEntry = cty.Object(map[string]cty.Type{
	"key":   cty.String,
	"value": cty.String,
	"file":  cty.String,
	"line":  cty.Number,
})

var configFacts = cty.Object(map[string]cty.Type{
	"files": cty.List(cty.Object(map[string]cty.Type{
		"path":   cty.String,
		"format": cty.String,
	})),
	"values":  cty.Map(cty.String), // flattened keys ("a.b.c", "a.0.b"); a later file wins
	"entries": cty.List(configEntry),
	// By the provider packs' rules: credentials in values (masked unless
	// public), values that are provider URLs, settings that switch a
	// provider's mode.
	"credentials": cty.List(credentialType),
	"endpoints":   cty.List(endpointType),
	"switches":    cty.List(switchType),
})

// configParsers are the formats the config probe reads, by the name the
// `format` attribute uses.
var configParsers = map[string]func([]byte) ([]configKV, error){
	"dotenv":     parseDotenv,
	"json":       parseJSON,
	"yaml":       parseYAML,
	"toml":       parseTOML,
	"properties": parseProperties,
	"ini":        parseINI,
	"php":        parsePHPConfig,
	"js":         parseJSConfig,
	"xml":        parseXMLConfig,
}

// Config reads configuration files of the usual formats into one flat
// key → value map, keeping the file and line of every value so a failing
// step can point at it.
type Config struct{}

// Name implements Kind.
func (Config) Name() string { return "config" }

// Doc implements Kind.
func (Config) Doc() string {
	return "Reads .env, JSON (with comments), YAML, TOML, .properties, INI, XML (web.config), PHP config arrays and define(), and JS/TS config modules into flat keys with file and line."
}

// Spec implements Kind.
func (Config) Spec() hcldec.Spec {
	return &hcldec.ObjectSpec{
		"files":  &hcldec.AttrSpec{Name: "files", Type: cty.List(cty.String), Required: true},
		"format": &hcldec.AttrSpec{Name: "format", Type: cty.String},
	}
}

// Facts implements Kind.
func (Config) Facts() cty.Type { return configFacts }

// Validate implements Validator: an unknown format or a file whose format
// cannot be told from its name is the author's mistake.
func (Config) Validate(_ *Env, cfg cty.Value) hcl.Diagnostics {
	if !cfg.IsWhollyKnown() {
		return nil
	}
	format := cfgString(cfg, "format")
	list := cfg.GetAttr("files")
	if list.IsNull() {
		return configDiag("config", errors.New("files is null"))
	}
	var errs []error
	for it := list.ElementIterator(); it.Next(); {
		_, f := it.Element()
		if f.IsNull() {
			errs = append(errs, errors.New("files: a file name is null"))
			continue
		}
		if _, err := configFormat(f.AsString(), format); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return configDiag("config", err)
	}
	return nil
}

// configKV is one value a parser found, at its 1-based line.
type configKV struct {
	key, value string
	line       int
	// From code: the value is one of choices, or a lookup's default
	// (lexer.Setting); only switches read them.
	choices  []string
	fallback bool
	kind     lexer.Kind
}

// configSyntaxError places a parser's complaint at line:col (col 0: unknown).
type configSyntaxError struct {
	line, col int
	err       error
}

func (e *configSyntaxError) Error() string {
	if e.col > 0 {
		return fmt.Sprintf("%d:%d: %v", e.line, e.col, e.err)
	}
	return fmt.Sprintf("%d: %v", e.line, e.err)
}

func (e *configSyntaxError) Unwrap() error { return e.err }

// configFormat tells a file's format from its name unless override is set.
func configFormat(name, override string) (string, error) {
	if override != "" {
		if _, ok := configParsers[override]; !ok {
			return "", fmt.Errorf("format %q: want one of dotenv, json, yaml, toml, properties, ini, xml, php, js", override)
		}
		return override, nil
	}
	base := strings.ToLower(filepath.Base(name))
	switch filepath.Ext(base) {
	case ".php", ".inc": // also Symfony's .env.local.php, a PHP array
		return "php", nil
	case ".js", ".cjs", ".mjs", ".ts", ".cts", ".mts":
		return "js", nil
	case ".xml", ".config": // web.config, app.config
		return "xml", nil
	}
	switch {
	case base == ".env" || strings.HasPrefix(base, ".env.") || strings.HasSuffix(base, ".env"):
		return "dotenv", nil
	}
	switch filepath.Ext(base) {
	case ".json":
		return "json", nil
	case ".yaml", ".yml":
		return "yaml", nil
	case ".toml":
		return "toml", nil
	case ".properties":
		return "properties", nil
	case ".ini", ".cfg", ".conf":
		return "ini", nil
	}
	return "", fmt.Errorf("%s: cannot tell the format from the name; set format", name)
}

// Run implements Kind.
func (Config) Run(ctx context.Context, env *Env, cfg cty.Value) (cty.Value, error) {
	override := cfgString(cfg, "format")
	list := cfg.GetAttr("files")
	if list.IsNull() {
		return cty.NilVal, errors.New("config probe: files is null")
	}
	var files, entries []cty.Value
	values := map[string]cty.Value{}
	set := env.PackSet()
	var creds []credential
	var ends []endpoint
	var switches []switchFound
	for it := list.ElementIterator(); it.Next(); {
		if err := ctx.Err(); err != nil {
			return cty.NilVal, fmt.Errorf("config probe: %w", err)
		}
		_, f := it.Element()
		if f.IsNull() {
			return cty.NilVal, errors.New("config probe: a file name is null")
		}
		format, err := configFormat(f.AsString(), override)
		if err != nil {
			return cty.NilVal, fmt.Errorf("config probe: %w", err)
		}
		path := env.Path(f.AsString())
		rel := env.Rel(path)
		data, err := env.Scope.ReadFile(path, input.MaxConfig)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err // the message names the file as the merchant does
			}
			return cty.NilVal, fmt.Errorf("config probe: %s: %w", rel, err)
		}
		kvs, err := configParsers[format](data)
		if err != nil {
			var se *configSyntaxError
			if errors.As(err, &se) {
				return cty.NilVal, fmt.Errorf("config probe: %s:%w", rel, err)
			}
			return cty.NilVal, fmt.Errorf("config probe: %s: %w", rel, err)
		}
		sort.SliceStable(kvs, func(i, j int) bool { return kvs[i].line < kvs[j].line })
		files = append(files, cty.ObjectVal(map[string]cty.Value{
			"path":   cty.StringVal(rel),
			"format": cty.StringVal(format),
		}))
		for _, kv := range kvs {
			// cty strings must be valid UTF-8; a config file in Latin-1
			// still yields its keys.
			key, value := strings.ToValidUTF8(kv.key, "\uFFFD"), strings.ToValidUTF8(kv.value, "\uFFFD")
			values[key] = cty.StringVal(value)
			entries = append(entries, cty.ObjectVal(map[string]cty.Value{
				"key":   cty.StringVal(key),
				"value": cty.StringVal(value),
				"file":  cty.StringVal(rel),
				"line":  cty.NumberIntVal(int64(kv.line)),
			}))
			at := sourceAt{file: rel, line: kv.line}
			creds = append(creds, findCredentials(set, []byte(value), func(int) sourceAt { return at }, false, key)...)
			if v := strings.TrimSpace(value); pageIsURL(v) {
				if u, err := url.Parse(v); err == nil && u.Host != "" {
					if e, ok := matchEndpoint(set, u, sourceRedactURL(u), key, at); ok && e.m.Endpoint.Purpose != "docs" {
						ends = append(ends, e)
					}
				}
			}
			for _, m := range set.SettingOf(key, lexer.Setting{Value: value, Kind: kv.kind, Choices: kv.choices, Default: kv.fallback}) {
				switches = append(switches, switchFound{m: m, key: key, value: value, at: at})
			}
		}
	}
	valuesVal := cty.MapValEmpty(cty.String)
	if len(values) > 0 {
		valuesVal = cty.MapVal(values)
	}
	return cty.ObjectVal(map[string]cty.Value{
		"files":       ListOf(configFacts.AttributeType("files").ElementType(), files),
		"values":      valuesVal,
		"entries":     ListOf(configEntry, entries),
		"credentials": credentialFacts(creds),
		"endpoints":   endpointFacts(ends),
		"switches":    switchFacts(switches),
	}), nil
}

func configJoinKey(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// configLineAt returns the 1-based line and column of byte offset off in data.
func configLineAt(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	return line, off - (bytes.LastIndexByte(before, '\n') + 1) + 1
}

// parseDotenv follows godotenv (quotes, export prefix, comments, ${VAR}
// expansion from earlier keys). godotenv does not report lines, so each key
// is placed at the last line that assigns it.
func parseDotenv(data []byte) ([]configKV, error) {
	m, err := godotenv.UnmarshalBytes(data)
	if err != nil {
		// godotenv quotes the offending text, which may be a secret.
		msg, _, _ := strings.Cut(err.Error(), `"`)
		return nil, fmt.Errorf("invalid dotenv syntax: %s", strings.TrimSpace(msg))
	}
	assigned := dotenvLines(data)
	kvs := make([]configKV, 0, len(m))
	for k, v := range m {
		kvs = append(kvs, configKV{key: k, value: v, line: assigned[k]})
	}
	sort.Slice(kvs, func(i, j int) bool {
		if kvs[i].line != kvs[j].line {
			return kvs[i].line < kvs[j].line
		}
		return kvs[i].key < kvs[j].key
	})
	return kvs, nil
}

// dotenvLines maps each name that a line assigns ("[export] NAME =" or
// "NAME:") to the last such line.
func dotenvLines(data []byte) map[string]int {
	lines := map[string]int{}
	for i, line := range strings.Split(string(data), "\n") {
		s := strings.TrimLeft(line, " \t")
		if rest, ok := strings.CutPrefix(s, "export"); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
			s = strings.TrimLeft(rest, " \t")
		}
		end := strings.IndexAny(s, " \t=:")
		if end <= 0 {
			continue
		}
		if after := strings.TrimLeft(s[end:], " \t"); after != "" && (after[0] == '=' || after[0] == ':') {
			lines[s[:end]] = i + 1
		}
	}
	return lines
}

// parseJSON reads JSON, and the JSON with comments and trailing commas
// .NET's appsettings.json and VS Code's settings allow. It walks the
// token stream, so each value keeps its line and
// numbers keep their spelling ("12", not "12.0").
func parseJSON(data []byte) ([]configKV, error) {
	data = jsoncClean(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	w := jsonWalker{dec: dec, data: data}
	if err := w.value("", 0); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		line, col := configLineAt(data, int(dec.InputOffset()))
		return nil, &configSyntaxError{line: line, col: col, err: errors.New("data after the top-level value")}
	}
	return w.out, nil
}

type jsonWalker struct {
	dec  *json.Decoder
	data []byte
	out  []configKV
}

func (w *jsonWalker) fail(err error) error {
	off := int(w.dec.InputOffset())
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = int(se.Offset)
	}
	line, col := configLineAt(w.data, off)
	return &configSyntaxError{line: line, col: col, err: err}
}

func (w *jsonWalker) token() (json.Token, error) {
	tok, err := w.dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, w.fail(err)
	}
	return tok, nil
}

func (w *jsonWalker) value(key string, depth int) error {
	if depth > maxConfigDepth {
		return w.fail(errors.New("nested too deeply"))
	}
	tok, err := w.token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		for i := 0; w.dec.More(); i++ {
			sub := strconv.Itoa(i)
			if t == '{' {
				k, err := w.token()
				if err != nil {
					return err
				}
				sub = k.(string) // the decoder only yields string keys inside objects
			}
			if err := w.value(configJoinKey(key, sub), depth+1); err != nil {
				return err
			}
		}
		_, err := w.token() // the closing delimiter
		return err
	default:
		if depth == 0 {
			return w.fail(errors.New("the top level is not an object or array"))
		}
		line, _ := configLineAt(w.data, int(w.dec.InputOffset()))
		w.out = append(w.out, configKV{key: key, value: jsonScalar(t), line: line})
		return nil
	}
}

func jsonScalar(t json.Token) string {
	switch v := t.(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	default:
		return fmt.Sprint(v)
	}
}

// parseYAML walks yaml.Node trees (every document of the file) for line
// numbers; aliases and merge keys are followed.
func parseYAML(data []byte) ([]configKV, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	w := yamlWalker{}
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return w.out, nil
		}
		if err != nil {
			return nil, err // yaml.v3 messages carry "line N"
		}
		if err := w.walk(&doc, "", 0); err != nil {
			return nil, err
		}
	}
}

type yamlWalker struct {
	out []configKV
}

func (w *yamlWalker) walk(n *yaml.Node, key string, depth int) error {
	if depth > maxConfigDepth {
		return &configSyntaxError{line: n.Line, col: n.Column, err: errors.New("nested too deeply")}
	}
	if len(w.out) > maxConfigEntries {
		return &configSyntaxError{line: n.Line, col: n.Column, err: errors.New("too many values (alias expansion?)")}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if c.Kind == yaml.ScalarNode {
				if c.ShortTag() == "!!null" {
					continue // an empty document
				}
				return &configSyntaxError{line: c.Line, col: c.Column, err: errors.New("the top level is not a mapping or sequence")}
			}
			if err := w.walk(c, key, depth+1); err != nil {
				return err
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.ShortTag() == "!!merge" {
				if err := w.merge(v, key, depth+1); err != nil {
					return err
				}
				continue
			}
			if err := w.walk(v, configJoinKey(key, k.Value), depth+1); err != nil {
				return err
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if err := w.walk(c, configJoinKey(key, strconv.Itoa(i)), depth+1); err != nil {
				return err
			}
		}
	case yaml.AliasNode:
		if n.Alias != nil {
			return w.walk(n.Alias, key, depth+1)
		}
	case yaml.ScalarNode:
		w.out = append(w.out, configKV{key: key, value: yamlScalar(n), line: n.Line})
	}
	return nil
}

// merge applies a "<<" key: a mapping, or a sequence of mappings, whose
// keys join the current one.
func (w *yamlWalker) merge(v *yaml.Node, key string, depth int) error {
	if v.Kind == yaml.SequenceNode {
		for _, c := range v.Content {
			if err := w.walk(c, key, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return w.walk(v, key, depth)
}

func yamlScalar(n *yaml.Node) string {
	switch n.ShortTag() {
	case "!!null":
		return ""
	case "!!bool":
		if b, err := strconv.ParseBool(n.Value); err == nil {
			return strconv.FormatBool(b)
		}
	}
	return n.Value
}

// parseTOML validates the document with the decoder (duplicate keys, type
// clashes), then walks the parser's AST for lines.
func parseTOML(data []byte) ([]configKV, error) {
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, col := de.Position()
			return nil, &configSyntaxError{line: line, col: col, err: err}
		}
		return nil, err
	}
	w := tomlWalker{arrays: map[string]int{}}
	w.p.Reset(data)
	table := ""
	for w.p.NextExpression() {
		e := w.p.Expression()
		switch e.Kind {
		case unstable.Table:
			table = w.header(e, false)
		case unstable.ArrayTable:
			table = w.header(e, true)
		case unstable.KeyValue:
			w.keyValue(table, e)
		}
	}
	if err := w.p.Error(); err != nil {
		return nil, err // the decoder above already accepted the document
	}
	return w.out, nil
}

type tomlWalker struct {
	p      unstable.Parser
	arrays map[string]int // array-of-tables path → elements so far
	out    []configKV
}

// header resolves a [table] or [[array]] header to a flat key, counting
// array elements so [[a]] … [a.b] lands under "a.N".
func (w *tomlWalker) header(e *unstable.Node, array bool) string {
	path := ""
	for it := e.Key(); it.Next(); {
		path = configJoinKey(path, string(it.Node().Data))
		n, isArray := w.arrays[path]
		switch {
		case array && it.IsLast():
			w.arrays[path] = n + 1
			path = configJoinKey(path, strconv.Itoa(n))
		case isArray:
			path = configJoinKey(path, strconv.Itoa(n-1))
		}
	}
	return path
}

func (w *tomlWalker) keyValue(prefix string, kv *unstable.Node) {
	key := prefix
	line := 0
	for it := kv.Key(); it.Next(); {
		k := it.Node()
		key = configJoinKey(key, string(k.Data))
		line = w.line(k, line)
	}
	w.value(kv.Value(), key, line)
}

func (w *tomlWalker) value(n *unstable.Node, key string, keyLine int) {
	switch n.Kind {
	case unstable.Array:
		i := 0
		for it := n.Children(); it.Next(); i++ {
			w.value(it.Node(), configJoinKey(key, strconv.Itoa(i)), keyLine)
		}
	case unstable.InlineTable:
		for it := n.Children(); it.Next(); {
			w.keyValue(key, it.Node())
		}
	default:
		w.out = append(w.out, configKV{key: key, value: tomlScalar(n), line: w.line(n, keyLine)})
	}
}

// line is where n starts, or fallback for nodes without a source range.
func (w *tomlWalker) line(n *unstable.Node, fallback int) int {
	if n.Raw.Length == 0 {
		return fallback
	}
	return w.p.Shape(n.Raw).Start.Line
}

func tomlScalar(n *unstable.Node) string {
	raw := string(n.Data)
	switch n.Kind {
	case unstable.Integer:
		// base 0 reads 0x, 0o, 0b and underscores the way TOML writes them
		if i, err := strconv.ParseInt(raw, 0, 64); err == nil {
			return strconv.FormatInt(i, 10)
		}
	case unstable.Float:
		return strings.ReplaceAll(raw, "_", "")
	}
	return raw
}

// parseProperties reads Java .properties: # and ! comments, "=", ":" or
// blank separators, backslash continuations and escapes (\t \n \uXXXX).
func parseProperties(data []byte) ([]configKV, error) {
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	var out []configKV
	for i := 0; i < len(lines); i++ {
		start := i + 1
		logical := strings.TrimLeft(lines[i], " \t\f")
		if logical == "" || logical[0] == '#' || logical[0] == '!' {
			continue
		}
		for continued(logical) && i+1 < len(lines) {
			i++
			logical = logical[:len(logical)-1] + strings.TrimLeft(lines[i], " \t\f")
		}
		if continued(logical) {
			logical = logical[:len(logical)-1]
		}
		rawKey, rawValue := splitProperty(logical)
		key, err := unescapeProperty(rawKey)
		if err != nil {
			return nil, &configSyntaxError{line: start, err: err}
		}
		value, err := unescapeProperty(rawValue)
		if err != nil {
			return nil, &configSyntaxError{line: start, err: err}
		}
		out = append(out, configKV{key: key, value: value, line: start})
	}
	return out, nil
}

// continued reports a line ending in an odd number of backslashes.
func continued(s string) bool {
	n := len(s) - len(strings.TrimRight(s, `\`))
	return n%2 == 1
}

// splitProperty splits at the first unescaped '=', ':' or blank; blanks
// around the separator belong to neither side.
func splitProperty(s string) (key, value string) {
	end := len(s)
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if strings.IndexByte("=: \t\f", s[i]) >= 0 {
			end = i
			break
		}
	}
	key, rest := s[:end], strings.TrimLeft(s[end:], " \t\f")
	if rest != "" && (rest[0] == '=' || rest[0] == ':') {
		rest = strings.TrimLeft(rest[1:], " \t\f")
	}
	return key, rest
}

// errMalformedEscape does not quote the text: it may be a secret.
var errMalformedEscape = errors.New(`malformed \u escape`)

func unescapeProperty(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 'f':
			b.WriteByte('\f')
		case 'u':
			if i+5 > len(s) {
				return "", errMalformedEscape
			}
			r, err := strconv.ParseUint(s[i+1:i+5], 16, 16)
			if err != nil {
				return "", errMalformedEscape
			}
			b.WriteRune(rune(r))
			i += 4
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String(), nil
}

// parseINI reads [section] headers and key = value (or key: value) lines;
// keys become "section.key". ; and # start comment lines; a bare key has
// an empty value; matching quotes around a value are removed.
func parseINI(data []byte) ([]configKV, error) {
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	var out []configKV
	section := ""
	for i, raw := range lines {
		s := strings.TrimSpace(raw)
		if s == "" || s[0] == ';' || s[0] == '#' {
			continue
		}
		if s[0] == '[' {
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return nil, &configSyntaxError{line: i + 1, col: strings.IndexByte(raw, '[') + 1, err: errors.New("section header without ]")}
			}
			section = strings.TrimSpace(s[1:end])
			continue
		}
		key, value := s, ""
		if sep := strings.IndexAny(s, "=:"); sep >= 0 {
			key, value = strings.TrimSpace(s[:sep]), strings.TrimSpace(s[sep+1:])
		}
		if key == "" {
			return nil, &configSyntaxError{line: i + 1, col: strings.IndexAny(raw, "=:") + 1, err: errors.New("value without a key")}
		}
		if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0] {
			value = value[1 : len(value)-1]
		}
		out = append(out, configKV{key: configJoinKey(section, key), value: value, line: i + 1})
	}
	return out, nil
}
