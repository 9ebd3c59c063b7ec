package probes

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/audit-tool/audit/lexer"
)

// jsoncClean blanks the comments and trailing commas of JSON with
// comments, keeping every offset, so lines and columns stay those of the
// file. Plain JSON comes back unchanged.
func jsoncClean(data []byte) []byte {
	if !bytes.Contains(data, []byte("//")) && !bytes.Contains(data, []byte("/*")) && !trailingComma(data) {
		return data
	}
	clean := lexer.Blank(lexer.JS, data)
	toks, _ := lexer.Tokenize(lexer.JS, clean)
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].Kind == lexer.Punct && toks[i].Text == "," && toks[i+1].Kind == lexer.Punct && (toks[i+1].Text == "}" || toks[i+1].Text == "]") {
			clean[toks[i].Off] = ' '
		}
	}
	return clean
}

// trailingComma reports a ',' followed by blanks and a closing bracket.
func trailingComma(data []byte) bool {
	for i := bytes.IndexByte(data, ','); i >= 0; {
		j := i + 1
		for j < len(data) && (data[j] == ' ' || data[j] == '\t' || data[j] == '\n' || data[j] == '\r') {
			j++
		}
		if j < len(data) && (data[j] == '}' || data[j] == ']') {
			return true
		}
		k := bytes.IndexByte(data[j:], ',')
		if k < 0 {
			return false
		}
		i = j + k
	}
	return false
}

// codeSettings reads the literal settings of a configuration file written
// in a programming language; a lexical error is a syntax error at its
// line and column.
func codeSettings(lang lexer.Lang, data []byte, trim ...string) ([]configKV, error) {
	toks, err := lexer.Tokenize(lang, data)
	var le *lexer.Error
	if errors.As(err, &le) {
		return nil, &configSyntaxError{line: le.Line, col: le.Col, err: errors.New(le.Msg)}
	}
	settings := lexer.Settings(lang, toks)
	if len(settings) > maxConfigEntries {
		return nil, errors.New("too many values")
	}
	out := make([]configKV, 0, len(settings))
	for _, s := range settings {
		key := s.Key
		for _, p := range trim {
			if k, ok := strings.CutPrefix(key, p); ok {
				key = k
				break
			}
		}
		out = append(out, configKV{key: key, value: s.Value, line: s.Line, kind: s.Kind, choices: s.Choices, fallback: s.Default})
	}
	return out, nil
}

// parsePHPConfig reads PHP configuration: arrays returned or assigned
// (`return ['sandbox' => true]`, `$config['mode'] = 'live'`), define()
// and constants. Keys are the array paths; what is computed at run time
// (env(), getenv(), concatenations) is not a value.
func parsePHPConfig(data []byte) ([]configKV, error) {
	return codeSettings(lexer.PHP, data)
}

// parseJSConfig reads JavaScript and TypeScript configuration modules:
// `module.exports = {…}`, `export default {…}`, exported constants. Keys
// are the object paths without "module.exports.".
func parseJSConfig(data []byte) ([]configKV, error) {
	return codeSettings(lexer.JS, data, "module.exports.", "exports.")
}

// parseXMLConfig reads XML configuration such as .NET's web.config: an
// element's text is the value of its path ("configuration.appSettings"),
// each attribute the value of path.attribute, and <add key="…"
// value="…"/> the value of path.key.
func parseXMLConfig(data []byte) ([]configKV, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	type text struct {
		b    strings.Builder
		line int
	}
	var (
		out   []configKV
		path  []string
		texts []*text
	)
	fail := func(err error) error {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return &configSyntaxError{line: se.Line, err: errors.New(se.Msg)}
		}
		line, col := dec.InputPos()
		return &configSyntaxError{line: line, col: col, err: err}
	}
	for {
		line, _ := dec.InputPos()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if len(path) > 0 {
				return nil, fail(io.ErrUnexpectedEOF)
			}
			return out, nil
		}
		if err != nil {
			return nil, fail(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(path) >= maxConfigDepth {
				return nil, fail(errors.New("nested too deeply"))
			}
			path = append(path, t.Name.Local)
			texts = append(texts, &text{})
			at := strings.Join(path, ".")
			parent := strings.Join(path[:len(path)-1], ".")
			key, value, keyed := "", "", false
			for _, a := range t.Attr {
				switch a.Name.Local {
				case "key", "name":
					key = a.Value
				case "value", "connectionString":
					value, keyed = a.Value, true
				}
			}
			if keyed && key != "" {
				out = append(out, configKV{key: configJoinKey(parent, key), value: value, line: line})
			} else {
				for _, a := range t.Attr {
					out = append(out, configKV{key: at + "." + a.Name.Local, value: a.Value, line: line})
				}
			}
		case xml.CharData:
			if len(texts) > 0 {
				tx := texts[len(texts)-1]
				if tx.line == 0 && len(bytes.TrimSpace(t)) > 0 {
					// The text's first line that is not blank.
					tx.line = line + bytes.Count(t[:bytes.Index(t, bytes.TrimSpace(t))], []byte("\n"))
				}
				tx.b.Write(t)
			}
		case xml.EndElement:
			tx := texts[len(texts)-1]
			if s := strings.TrimSpace(tx.b.String()); s != "" {
				out = append(out, configKV{key: strings.Join(path, "."), value: s, line: tx.line})
			}
			path, texts = path[:len(path)-1], texts[:len(texts)-1]
		}
		if len(out) > maxConfigEntries {
			return nil, fail(errors.New("too many values"))
		}
	}
}
