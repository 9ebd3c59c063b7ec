// Command corpus generates a mixed tree (logs, JSON, SQL, source, a .gz and
// a .zip) with card numbers and secrets planted in every format beside
// decoys, and checks `audit scan --format json` output against the plants.
//
//	go run ./bench/corpus gen -dir /tmp/corpus -size 1GB   # writes DIR/../plants.json
//	go run ./bench/corpus bigfile -out /tmp/big.log -size 4GB
//	go run ./bench/corpus check -plants plants.json -scan scan.json -root DIR [OUTPUT...]
package main

import (
	"archive/zip"
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// plant is one number or secret the scan must find.
type plant struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Type   string `json:"type"`
	Label  string `json:"label"` // brand or kind
	Live   bool   `json:"live"`
	Raw    string `json:"raw"` // as written, for the leak check
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: corpus gen|check [flags]")
	}
	fs := flag.NewFlagSet(args[0], flag.ExitOnError)
	switch args[0] {
	case "gen":
		dir := fs.String("dir", "", "folder to create")
		size := fs.String("size", "100MB", "approximate total size (KB, MB, GB)")
		plants := fs.String("plants", "", "plant list to write (default DIR.plants.json)")
		seed := fs.Uint64("seed", 1, "random seed")
		_ = fs.Parse(args[1:])
		n, err := parseSize(*size)
		if err != nil {
			return err
		}
		if *dir == "" {
			return errors.New("gen: -dir is required")
		}
		if *plants == "" {
			*plants = filepath.Clean(*dir) + ".plants.json"
		}
		return gen(*dir, n, *plants, *seed)
	case "bigfile": // one log file, for memory measurements
		out := fs.String("out", "", "file to write")
		size := fs.String("size", "1GB", "approximate size")
		every := fs.Int("every", 4000, "one plant or decoy per this many lines")
		_ = fs.Parse(args[1:])
		n, err := parseSize(*size)
		if err != nil {
			return err
		}
		g := &gener{r: rand.New(rand.NewPCG(1, 2)), every: *every}
		_, err = g.file(filepath.Dir(*out), filepath.Base(*out), "log", n)
		return err
	case "check":
		plants := fs.String("plants", "", "plant list")
		scanned := fs.String("scan", "", "audit scan --format json output")
		root := fs.String("root", "", "the folder argument given to audit scan")
		_ = fs.Parse(args[1:])
		return check(*plants, *scanned, *root, fs.Args())
	}
	return fmt.Errorf("unknown command %q", args[0])
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.m
			break
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("size %q: %w", s, err)
	}
	return int64(v * float64(mult)), nil
}

// writer writes one text file and knows the line and column of the next byte.
type writer struct {
	w      *bufio.Writer
	name   string
	line   int
	col    int
	n      int64
	plants *[]plant
}

func (w *writer) write(s string) {
	w.w.WriteString(s)
	w.n += int64(len(s))
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		w.line += strings.Count(s, "\n")
		w.col = len(s) - i
	} else {
		w.col += len(s)
	}
}

func (w *writer) plant(typ, label string, live bool, raw string) {
	*w.plants = append(*w.plants, plant{File: w.name, Line: w.line, Column: w.col, Type: typ, Label: label, Live: live, Raw: raw})
	w.write(raw)
}

type gener struct {
	r      *rand.Rand
	plants []plant
	k      int // plant counter, to cycle formats
	every  int // a plant or decoy in one line of every
}

func gen(dir string, size int64, plantsFile string, seed uint64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	g := &gener{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), every: 40}
	kinds := []string{"log", "json", "sql", "go", "py", "js"}
	var total int64
	for i := 0; total < size; i++ {
		kind := kinds[i%len(kinds)]
		sub := []string{"logs", "exports", "db", "src", "scripts", "web"}[i%len(kinds)]
		name := fmt.Sprintf("%s/%03d/file%05d.%s", sub, i/100, i, kind)
		fileSize := min(size-total, int64(1<<20+g.r.IntN(7<<20)))
		n, err := g.file(dir, name, kind, fileSize)
		if err != nil {
			return err
		}
		total += n
	}
	if err := g.pemFiles(dir); err != nil {
		return err
	}
	if err := g.archives(dir); err != nil {
		return err
	}
	sort.Slice(g.plants, func(i, j int) bool {
		a, b := g.plants[i], g.plants[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	data, err := json.MarshalIndent(g.plants, "", " ")
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "corpus: %d MB in %s, %d plants\n", total>>20, dir, len(g.plants))
	return os.WriteFile(plantsFile, data, 0o644)
}

func (g *gener) open(dir, name string) (*os.File, *writer, error) {
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, nil, err
	}
	f, err := os.Create(p)
	if err != nil {
		return nil, nil, err
	}
	return f, &writer{w: bufio.NewWriterSize(f, 1<<16), name: name, line: 1, col: 1, plants: &g.plants}, nil
}

func (g *gener) file(dir, name, kind string, size int64) (int64, error) {
	f, w, err := g.open(dir, name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	g.body(w, kind, size)
	if err := w.w.Flush(); err != nil {
		return 0, err
	}
	return w.n, f.Close()
}

// body writes filler lines of the file's kind, a plant in one line of
// g.every and a decoy in another.
func (g *gener) body(w *writer, kind string, size int64) {
	for i := 0; w.n < size; i++ {
		ts := fmt.Sprintf("2026-%02d-%02dT%02d:%02d:%02d.%03dZ", 1+g.r.IntN(12), 1+g.r.IntN(28), g.r.IntN(24), g.r.IntN(60), g.r.IntN(60), g.r.IntN(1000))
		id := 1000000 + g.r.IntN(9000000)
		switch kind {
		case "log":
			w.write(fmt.Sprintf("%s INFO [worker-%d] req=%08x ip=10.%d.%d.%d GET /api/orders/%d 200 %dms amount=%d.%02d EUR epoch=17%011d ",
				ts, g.r.IntN(16), g.r.Uint32(), g.r.IntN(256), g.r.IntN(256), g.r.IntN(256), id, g.r.IntN(900), g.r.IntN(500), g.r.IntN(100), g.r.Int64N(1e11)))
		case "json":
			w.write(fmt.Sprintf(`{"order_id": %d, "created": "%s", "total": %d.%02d, "items": [%d, %d, %d], "phone": "+33 1 42 68 %02d %02d", "ref": "`,
				id, ts, g.r.IntN(900), g.r.IntN(100), g.r.IntN(100000), g.r.IntN(1000), g.r.IntN(99), g.r.IntN(100), g.r.IntN(100)))
		case "sql":
			w.write(fmt.Sprintf("INSERT INTO payments (id, order_id, amount_cents, created_at, note) VALUES (%d, %d, %d, '%s', '", id, id+7, g.r.IntN(100000), ts))
		default:
			w.write(fmt.Sprintf("\t// %s: retry %d of %d, backoff %dms, build 9%017d\n\tconst v%d = \"", ts, g.r.IntN(5), 5, g.r.IntN(10000), g.r.Int64N(1e17), i))
		}
		if i%g.every == 7 {
			g.plantOne(w)
		} else if i%g.every == 27 {
			w.write(g.decoy())
		} else {
			w.write(fmt.Sprintf("session s%x user %d", g.r.Uint64(), g.r.IntN(1e9)))
		}
		switch kind {
		case "log":
			w.write(" done\n")
		case "json":
			w.write("\"}\n")
		case "sql":
			w.write("');\n")
		default:
			w.write("\"\n")
		}
	}
}

// brands: prefix choices and length of generated live numbers.
var brands = []struct {
	name     string
	prefixes []string
	length   int
}{
	{"visa", []string{"4"}, 16}, {"visa", []string{"4"}, 13}, {"visa", []string{"4"}, 19},
	{"mastercard", []string{"51", "53", "55", "2221", "2500", "2720"}, 16},
	{"amex", []string{"34", "37"}, 15},
	{"discover", []string{"6011", "644", "649", "65"}, 16},
	{"diners", []string{"300", "305", "36", "38"}, 14},
	{"jcb", []string{"3528", "3589"}, 16},
	{"unionpay", []string{"62"}, 16}, {"unionpay", []string{"62"}, 19},
	{"maestro", []string{"5018", "5020", "5038", "6304", "6759"}, 13}, {"maestro", []string{"5020", "56", "58", "63", "67"}, 16},
	{"maestro", []string{"5018", "67"}, 19}, {"mir", []string{"2200", "2204"}, 16}, {"rupay", []string{"6070", "81", "82", "508"}, 16},
	{"troy", []string{"9792"}, 16}, {"uatp", []string{"1"}, 15},
}

var testCards = []struct{ brand, pan string }{
	{"visa", "4242424242424242"}, {"visa", "4111111111111111"}, {"mastercard", "5555555555554444"},
	{"mastercard", "2223003122003222"}, {"amex", "378282246310005"}, {"discover", "6011111111111117"},
	{"diners", "36227206271667"}, {"jcb", "3566002020360505"}, {"unionpay", "6200000000000005"},
	{"maestro", "6759649826438453"},
}

func luhnDigit(payload string) byte {
	sum := 0
	for i := len(payload) - 1; i >= 0; i-- {
		v := int(payload[i] - '0')
		if (len(payload)-i)%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return byte('0' + (10-sum%10)%10)
}

func (g *gener) number(prefix string, length int) string {
	b := []byte(prefix)
	for len(b) < length-1 {
		b = append(b, byte('0'+g.r.IntN(10)))
	}
	return string(append(b, luhnDigit(string(b))))
}

// format writes pan plain or grouped: 4-4-4-4(-3), Amex 4-6-5, Diners 4-6-4.
func format(pan string, style int) string {
	sep := []string{"", " ", "-"}[style%3]
	if sep == "" {
		return pan
	}
	var sizes []int
	switch len(pan) {
	case 15:
		sizes = []int{4, 6, 5}
	case 14:
		sizes = []int{4, 6, 4}
	case 16:
		sizes = []int{4, 4, 4, 4}
	case 19:
		sizes = []int{4, 4, 4, 4, 3}
	default:
		return pan // 13 digits are written plain
	}
	var parts []string
	for _, s := range sizes {
		parts = append(parts, pan[:s])
		pan = pan[s:]
	}
	return strings.Join(parts, sep)
}

var secretKinds = []string{
	"stripe_live_secret_key", "stripe_live_restricted_key", "stripe_test_secret_key",
	"paypal_live_access_token", "paypal_sandbox_access_token", "adyen_api_key",
}

func (g *gener) alnum(n int, set string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[g.r.IntN(len(set))]
	}
	return string(b)
}

const alnums = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

func (g *gener) secret(kind string) (string, bool) {
	switch kind {
	case "stripe_live_secret_key":
		return "sk_live_" + g.alnum(24+g.r.IntN(76), alnums), true
	case "stripe_live_restricted_key":
		return "rk_live_" + g.alnum(24+g.r.IntN(76), alnums), true
	case "stripe_test_secret_key":
		return "sk_test_" + g.alnum(24, alnums), false
	case "paypal_live_access_token":
		return "access_token$production$" + g.alnum(16, alnums[:36]) + "$" + g.alnum(32, alnums[:16]), true
	case "paypal_sandbox_access_token":
		return "access_token$sandbox$" + g.alnum(16, alnums[:36]) + "$" + g.alnum(32, alnums[:16]), false
	default:
		b64 := alnums + "+/"
		return "AQE" + g.alnum(60, b64) + "==-" + g.alnum(43, b64) + "=-" + g.alnum(16, alnums), true
	}
}

func (g *gener) plantOne(w *writer) {
	g.k++
	w.write("card ")
	switch k := g.k; {
	case k%7 == 3:
		kind := secretKinds[(k/7)%len(secretKinds)]
		s, live := g.secret(kind)
		w.plant("secret", kind, live, s)
	case k%7 == 5:
		c := testCards[(k/7)%len(testCards)]
		w.plant("pan", c.brand, false, format(c.pan, k/7/len(testCards)))
	default:
		b := brands[k%len(brands)]
		pan := g.number(b.prefixes[(k/len(brands))%len(b.prefixes)], b.length)
		w.plant("pan", b.name, true, format(pan, k/len(brands)/len(b.prefixes)))
	}
}

// decoy writes something card-like that is not a card number.
func (g *gener) decoy() string {
	b := brands[g.r.IntN(len(brands))]
	pan := g.number(b.prefixes[0], b.length)
	bad := pan[:len(pan)-1] + string('0'+(pan[len(pan)-1]-'0'+1+byte(g.r.IntN(9)))%10)
	switch g.r.IntN(6) {
	case 0: // fails Luhn; 19 digits plain, as a 16-digit prefix of a grouped one might pass
		if len(bad) == 19 {
			return "luhn " + bad
		}
		return "luhn " + format(bad, g.r.IntN(3))
	case 1: // too long: 20 digits or more
		return "run " + pan + g.alnum(20-len(pan)+g.r.IntN(5), alnums[:10])
	case 2: // glued to letters
		return "ref" + pan + "x"
	case 3: // already masked
		return pan[:6] + strings.Repeat("*", len(pan)-10) + pan[len(pan)-4:]
	case 4: // no brand
		return "n " + g.number("99", 16)
	default:
		return "tx_" + pan[:10] + "X" + pan[10:]
	}
}

// pemFiles writes private keys as Amazon Pay's key files and inline.
func (g *gener) pemFiles(dir string) error {
	labels := map[string]string{
		"RSA PRIVATE KEY": "rsa_private_key", "EC PRIVATE KEY": "ec_private_key",
		"PRIVATE KEY": "pkcs8_private_key", "ENCRYPTED PRIVATE KEY": "encrypted_private_key",
		"OPENSSH PRIVATE KEY": "openssh_private_key",
	}
	names := make([]string, 0, len(labels))
	for l := range labels {
		names = append(names, l)
	}
	sort.Strings(names)
	for i, label := range names {
		f, w, err := g.open(dir, fmt.Sprintf("keys/amazon-pay-%d.pem", i))
		if err != nil {
			return err
		}
		w.write("# Amazon Pay private key\n")
		var body strings.Builder
		body.WriteString("-----BEGIN " + label + "-----\n")
		if label == "RSA PRIVATE KEY" {
			body.WriteString("Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,2FB5B2A7F0E3C1D4\n\n")
		}
		for range 20 {
			body.WriteString(g.alnum(64, alnums+"+/") + "\n")
		}
		body.WriteString("-----END " + label + "-----")
		w.plant("secret", labels[label], true, body.String())
		w.write("\n")
		if err := w.w.Flush(); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

// archives writes a gzipped log and a zip export; their plants are named
// as the scanner names archive contents.
func (g *gener) archives(dir string) error {
	p := filepath.Join(dir, "logs", "rotated.log.gz")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	w := &writer{w: bufio.NewWriter(zw), name: "logs/rotated.log.gz", line: 1, col: 1, plants: &g.plants}
	g.body(w, "log", 1<<20)
	if err := w.w.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}

	zf, err := os.Create(filepath.Join(dir, "exports", "export.zip"))
	if err != nil {
		return err
	}
	za := zip.NewWriter(zf)
	for _, m := range []string{"orders.csv", "payments.json"} {
		mw, err := za.Create(m)
		if err != nil {
			return err
		}
		w := &writer{w: bufio.NewWriter(mw), name: "exports/export.zip!" + m, line: 1, col: 1, plants: &g.plants}
		g.body(w, "json", 512<<10)
		if err := w.w.Flush(); err != nil {
			return err
		}
	}
	if err := za.Close(); err != nil {
		return err
	}
	return zf.Close()
}

type finding struct {
	Type   string `json:"type"`
	Brand  string `json:"brand"`
	Kind   string `json:"kind"`
	Live   bool   `json:"live"`
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// check compares findings with plants (file paths relative to the scanned
// folder), and greps leak files for any planted value.
func check(plantsFile, scanFile, root string, leaks []string) error {
	var plants []plant
	if err := readJSON(plantsFile, &plants); err != nil {
		return err
	}
	var out struct {
		Findings []finding `json:"findings"`
	}
	if err := readJSON(scanFile, &out); err != nil {
		return err
	}
	key := func(file string, line, col int, typ, label string, live bool) string {
		return fmt.Sprintf("%s:%d:%d %s %s live=%t", file, line, col, typ, label, live)
	}
	want := map[string]bool{}
	for _, p := range plants {
		want[key(p.File, p.Line, p.Column, p.Type, p.Label, p.Live)] = true
	}
	got := map[string]bool{}
	var extra []string
	for _, f := range out.Findings {
		label := f.Brand + f.Kind
		k := key(strings.TrimPrefix(f.File, strings.TrimSuffix(filepath.ToSlash(root), "/")+"/"), f.Line, f.Column, f.Type, label, f.Live)
		got[k] = true
		if !want[k] {
			extra = append(extra, k)
		}
	}
	var missing []string
	for k := range want {
		if !got[k] {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	fmt.Printf("recall %.2f%% (%d/%d planted), false findings %d\n",
		100*float64(len(want)-len(missing))/float64(max(1, len(want))), len(want)-len(missing), len(want), len(extra))
	for _, m := range missing[:min(10, len(missing))] {
		fmt.Println("  missing:", m)
	}
	for _, e := range extra[:min(10, len(extra))] {
		fmt.Println("  false:  ", e)
	}
	leaked := 0
	for _, l := range leaks {
		data, err := os.ReadFile(l)
		if err != nil {
			return err
		}
		for _, v := range leakedValues(plants, data) {
			fmt.Printf("  LEAK in %s: %s\n", l, v)
			leaked++
		}
	}
	if len(leaks) > 0 {
		fmt.Printf("leak check: %d outputs, %d planted values found in them\n", len(leaks), leaked)
	}
	if len(missing) > 0 || len(extra) > 0 || leaked > 0 {
		return errors.New("check failed")
	}
	return nil
}

// leakedValues returns the planted values found in clear in data: card
// numbers with or without separators, and secrets by a 16-character piece
// of their body. One pass over data with set look-ups.
func leakedValues(plants []plant, data []byte) []string {
	pans, frags := map[string]string{}, map[string]string{}
	for _, p := range plants {
		if p.Type == "pan" {
			pans[strings.NewReplacer(" ", "", "-", "").Replace(p.Raw)] = p.Label
			continue
		}
		body := p.Raw[strings.LastIndexAny(p.Raw[:min(len(p.Raw), 40)], "_$-\n")+1:]
		frags[body[:16]] = p.Label
	}
	isB64 := func(c byte) bool {
		return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '+' || c == '/'
	}
	var found []string
	for i := 0; i < len(data); {
		c := data[i]
		switch {
		case c >= '0' && c <= '9':
			var d []byte
			j := i
			for ; j < len(data) && (data[j] >= '0' && data[j] <= '9' || data[j] == ' ' || data[j] == '-'); j++ {
				if data[j] >= '0' && data[j] <= '9' {
					d = append(d, data[j])
				}
			}
			for a := range d {
				for n := 12; n <= 19 && a+n <= len(d); n++ {
					if label, ok := pans[string(d[a:a+n])]; ok {
						found = append(found, "card number "+label)
					}
				}
			}
			i = j
		case isB64(c):
			j := i
			for j < len(data) && isB64(data[j]) {
				j++
			}
			for a := i; a+16 <= j; a++ {
				if label, ok := frags[string(data[a:a+16])]; ok {
					found = append(found, "secret "+label)
				}
			}
			i = j
		default:
			i++
		}
	}
	return found
}

func readJSON(path string, v any) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return json.NewDecoder(io.Reader(f)).Decode(v)
}
