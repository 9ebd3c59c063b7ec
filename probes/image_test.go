package probes

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
)

// testImages encodes one 160×60 logo in each accepted format.
func testImages(t testing.TB) map[string][]byte {
	t.Helper()
	img := image.NewPaletted(image.Rect(0, 0, 160, 60), color.Palette{color.White, color.Black})
	img.SetColorIndex(10, 10, 1)
	var p, j, g bytes.Buffer
	require.NoError(t, png.Encode(&p, img))
	require.NoError(t, jpeg.Encode(&j, img, nil))
	require.NoError(t, gif.Encode(&g, img, nil))
	return map[string][]byte{"logo.png": p.Bytes(), "logo.jpg": j.Bytes(), "logo.gif": g.Bytes()}
}

func imageWant(source, format string, data []byte) cty.Value {
	sum := sha256.Sum256(data)
	return cty.ObjectVal(map[string]cty.Value{
		"source": cty.StringVal(source),
		"format": cty.StringVal(format),
		"width":  cty.NumberIntVal(160),
		"height": cty.NumberIntVal(60),
		"bytes":  cty.NumberIntVal(int64(len(data))),
		"sha256": cty.StringVal(hex.EncodeToString(sum[:])),
	})
}

var imageFormats = map[string]string{"logo.png": "png", "logo.jpg": "jpeg", "logo.gif": "gif"}

func TestImageFile(t *testing.T) {
	dir := t.TempDir()
	images := testImages(t)
	for name, data := range images {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o600))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "logo.svg"), []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), 0o600))
	env := &Env{BaseDir: dir}

	for name, format := range imageFormats {
		t.Run(name, func(t *testing.T) {
			v, err := kindRun(t, Image{}, env, `source = "`+name+`"`)
			require.NoError(t, err)
			assert.True(t, imageWant(name, format, images[name]).RawEquals(v), v.GoString())
		})
	}

	tests := []struct{ name, src, err string }{
		{"not an image", `source = "logo.svg"`, "not a PNG, JPEG or GIF image"},
		{"missing", `source = "nope.png"`, "no such file"},
		{"too large", `source = "logo.png"` + "\nmax_bytes = 10", "image larger than max_bytes"},
		{"plain http", `source = "http://127.0.0.1/logo.png"`, "a logo must be served over https"},
		{"other scheme", `source = "ftp://127.0.0.1/logo.png"`, `unsupported scheme "ftp"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := kindRun(t, Image{}, env, tt.src)
			require.ErrorContains(t, err, tt.err)
		})
	}
	_, err := kindRun(t, Image{}, env, `source = "logo.png"`+"\nmax_bytes = 10")
	require.ErrorIs(t, err, errImageTooLarge)
}

func TestImageValidate(t *testing.T) {
	tests := []struct{ src, err string }{
		{`source = "logo.png"`, ""},
		{`source = "logo.png"` + "\ntimeout = \"soon\"", `timeout "soon" is not a positive duration`},
		{`source = "logo.png"` + "\nmax_bytes = 0", "max_bytes must be a positive whole number"},
		{`source = "logo.png"` + "\nmax_bytes = 1.5", "max_bytes must be a positive whole number"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			diags := Image{}.Validate(&Env{}, kindCfg(t, Image{}, tt.src))
			if tt.err == "" {
				assert.Empty(t, diags)
				return
			}
			require.True(t, diags.HasErrors())
			assert.Contains(t, diags[0].Detail, tt.err)
		})
	}
}

func TestImageOffline(t *testing.T) {
	_, err := kindRun(t, Image{}, &Env{Offline: true}, `source = "https://cdn.example/logo.png"`)
	require.ErrorIs(t, err, ErrOffline)
}

// TestImageURL fetches logos from an httptest TLS server. Env.HTTPClient
// trusts the system pool, which honours SSL_CERT_FILE but is loaded once
// per process (and other tests of this package load it first), so the
// fetching runs in a child process whose environment trusts the server.
func TestImageURL(t *testing.T) {
	if base := os.Getenv("AUDIT_TEST_IMAGE_URL"); base != "" {
		imageURLChild(t, base, os.Getenv("AUDIT_TEST_IMAGE_PLAIN_URL"))
		return
	}
	images := testImages(t)
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(images["logo.png"])
	}))
	t.Cleanup(plain.Close)
	mux := http.NewServeMux()
	for name, data := range images {
		mux.HandleFunc("/"+name, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(data) })
	}
	mux.HandleFunc("/downgrade.png", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/logo.png", http.StatusFound)
	})
	mux.HandleFunc("/moved.png", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/logo.png", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/page.html", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("<!doctype html><title>logo</title>"))
	})
	mux.HandleFunc("/big.png", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(append(bytes.Clone(images["logo.png"]), make([]byte, 2048)...))
	})
	srv := httptest.NewUnstartedServer(mux)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // this process's refused handshake
	srv.StartTLS()
	t.Cleanup(srv.Close)

	caFile := filepath.Join(t.TempDir(), "server.pem")
	require.NoError(t, os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600))
	cmd := exec.Command(os.Args[0], "-test.run=^TestImageURL$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(),
		"SSL_CERT_FILE="+caFile,
		"SSL_CERT_DIR="+t.TempDir(),
		"AUDIT_TEST_IMAGE_URL="+srv.URL,
		"AUDIT_TEST_IMAGE_PLAIN_URL="+plain.URL)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "--- PASS: TestImageURL")

	// In this process the server's certificate is not trusted.
	_, err = kindRun(t, Image{}, &Env{}, `source = "`+srv.URL+`/logo.png"`)
	require.ErrorContains(t, err, "certificate")
}

func imageURLChild(t *testing.T, base, plain string) {
	images := testImages(t)
	env := &Env{Offline: true} // loopback only: --offline must not stop it
	for name, format := range imageFormats {
		v, err := kindRun(t, Image{}, env, `source = "`+base+`/`+name+`"`)
		require.NoError(t, err, name)
		assert.True(t, imageWant(base+"/"+name, format, images[name]).RawEquals(v), v.GoString())
	}
	v, err := kindRun(t, Image{}, env, `source = "`+base+`/moved.png"`)
	require.NoError(t, err)
	assert.Equal(t, "png", v.GetAttr("format").AsString())

	// big.png is the logo plus 2 KiB of padding: over a limit of logo + 1 KiB.
	limit := strconv.Itoa(len(images["logo.png"]) + 1024)
	for path, want := range map[string]string{
		"/downgrade.png": "redirected to " + plain + "/logo.png: a logo must be served over https",
		"/missing.png":   "HTTP 404 Not Found",
		"/page.html":     "not a PNG, JPEG or GIF image",
		"/big.png":       "image larger than max_bytes",
	} {
		_, err := kindRun(t, Image{}, env, `source = "`+base+path+`"`+"\nmax_bytes = "+limit)
		require.ErrorContains(t, err, want, path)
	}
}
