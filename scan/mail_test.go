package scan

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/klauspost/compress/snappy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// base64Lines is data in base64 as mailers write it: 76 columns, CRLF.
func base64Lines(data []byte) string {
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.String()
}

// mails writes e-mails as mail clients and ticket systems save them, with
// the card numbers in every place a mail holds text: an encoded-word
// subject split over two words, a quoted-printable body whose soft line
// break falls inside a number, base64 attachments (a CSV, a zip of a log),
// a forwarded e-mail with a base64 HTML body; and an mbox of three, one
// with a ">From " line.
func (c *formats) mails() {
	t := c.t
	eml := c.name("mail/export.eml")
	subj, qp, csv1, csv2, zipped, fwd := c.card(0), c.card(2), c.card(5), c.card(11), c.card(7), c.card(0)

	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	// The subject: "Karte 4539 …" in two encoded words, folded.
	g := grouped(subj, " ")
	fmt.Fprintf(&b, "From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <kasse@shop.example>\r\nTo: buchhaltung@shop.example\r\n"+
		"Subject: %s\r\n %s\r\nDate: Mon, 30 Nov 2026 09:12:44 +0100\r\nMessage-ID: <20261130091244.4711@shop.example>\r\n"+
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=%q\r\n\r\nThis is a multi-part message in MIME format.\r\n",
		mime.QEncoding.Encode("utf-8", "Rückbuchung Karte "+g[:9]), mime.QEncoding.Encode("utf-8", g[9:]+" bitte prüfen"), mw.Boundary())
	c.plant(eml, TypePAN, subj)

	// A quoted-printable body: the soft break lands inside the number.
	pw, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"text/plain; charset=utf-8"}, "Content-Transfer-Encoding": {"quoted-printable"}})
	require.NoError(t, err)
	var body bytes.Buffer
	qw := quotedprintable.NewWriter(&body)
	fmt.Fprintf(qw, "Kartennummer laut Kunde, bitte nicht weitergeben, Vorgang 100233: %s, abgelehnt.\r\n", qp)
	require.NoError(t, qw.Close())
	require.Contains(t, body.String(), "=\r\n", "a soft line break")
	require.NotContains(t, body.String(), qp, "the number is split by it")
	_, _ = pw.Write(body.Bytes())
	c.plant(eml+"!part 1", TypePAN, qp)

	// A CSV export, base64.
	aw, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {`text/csv; name="orders.csv"`}, "Content-Transfer-Encoding": {"base64"},
		"Content-Disposition": {`attachment; filename="orders.csv"`}})
	require.NoError(t, err)
	_, _ = aw.Write([]byte(base64Lines([]byte("order;name;card;exp\r\n100233;Jürgen Müller;" + csv1 + ";12/28\r\n100234;Anna Roth;" + grouped(csv2, "-") + ";01/29\r\n"))))
	c.plant(eml+"!orders.csv", TypePAN, csv1)
	c.plant(eml+"!orders.csv", TypePAN, csv2)

	// A zip of a log, base64.
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	fw, _ := zw.Create("payment.log")
	fmt.Fprintf(fw, "2026-11-30 09:00:01 declined card=%s\n", zipped)
	require.NoError(t, zw.Close())
	zp, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"application/zip"}, "Content-Transfer-Encoding": {"base64"},
		"Content-Disposition": {`attachment; filename="logs.zip"`}})
	require.NoError(t, err)
	_, _ = zp.Write([]byte(base64Lines(zb.Bytes())))
	c.plant(eml+"!logs.zip!payment.log", TypePAN, zipped)

	// A forwarded e-mail whose HTML body is base64.
	fp, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"message/rfc822"}})
	require.NoError(t, err)
	fmt.Fprintf(fp, "From: kunde@example.net\r\nSubject: Meine Karte\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n"+
		"Content-Transfer-Encoding: base64\r\n\r\n%s", base64Lines([]byte("<p>Karte: "+grouped(fwd, "&nbsp;")+"</p>")))
	c.plant(eml+"!part 4!message", TypePAN, fwd)
	require.NoError(t, mw.Close())
	c.write("mail/export.eml", b.Bytes())

	// An mbox: three e-mails, a ">From " line in the second.
	mbox := c.name("mail/support.mbox")
	m1, m2, m3 := c.card(3), c.card(9), c.card(12)
	c.write("mail/support.mbox", []byte(fmt.Sprintf("From kunde@example.net Mon Nov 30 08:00:00 2026\n"+
		"From: kunde@example.net\nSubject: Bestellung\nDate: Mon, 30 Nov 2026 08:00:00 +0100\n\nMeine Karte ist %s.\n\n"+
		"From support@shop.example Mon Nov 30 08:05:00 2026\n"+
		"From: support@shop.example\nSubject: Re: Bestellung\nMIME-Version: 1.0\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n%s\n"+
		"From kunde@example.net Mon Nov 30 08:10:00 2026\n"+
		"From: kunde@example.net\nSubject: Re: Re: Bestellung\n\n>From the card %s I paid with.\n",
		m1, base64Lines([]byte("Bitte senden Sie keine Kartennummern.\n>From now on: "+m2+" is masked.\n")), m3)))
	c.plant(mbox+"!message 1", TypePAN, m1)
	c.plant(mbox+"!message 2", TypePAN, m2)
	c.plant(mbox+"!message 3", TypePAN, m3)

	// Snappy's framed stream.
	var sb bytes.Buffer
	sw := snappy.NewBufferedWriter(&sb)
	_, _ = sw.Write([]byte(c.text(c.name("compressed/app.log.sz"), 3, 13)))
	require.NoError(t, sw.Close())
	c.write("compressed/app.log.sz", sb.Bytes())
}

func TestMailHead(t *testing.T) {
	cases := []struct {
		name, head string
		mbox, ok   bool
	}{
		{"eml", "Return-Path: <a@b>\r\nReceived: from x\r\n\tby y\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nhi", false, true},
		{"a type beside an address", "From: a@b\nContent-Type: text/html\n\n<p>", false, true},
		{"mbox", "From a@b Mon Nov 30 08:00:00 2026\nFrom: a@b\nSubject: x\n\nbody", true, true},
		{"git format-patch", "From 2f1c0d Mon Sep 17 00:00:00 2001\nFrom: Dev <d@x>\nDate: Tue, 1 Dec 2026\nSubject: [PATCH] fix\n\n---\n", true, true},
		{"plain mail, nothing encoded", "From: a@b\nTo: c@d\nSubject: x\n\nbody", false, false},
		{"YAML", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n", false, false},
		{"Debian control", "Package: audit\nVersion: 1.0\nDescription: x\n\n", false, false},
		{"a Content-Type alone", "Content-Type: application/json\nX-Request-Id: 42\n\n{}", false, false},
		{"prose", "From the desk of the editor: hello\nSubject: none\n", false, false},
		{"HTTP request", "POST /pay HTTP/1.1\nHost: x\nContent-Type: text/plain\nMIME-Version: 1.0\n\n", false, false},
		{"a field name with a space", "Content Type: text/plain\nMIME-Version: 1.0\n\n", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mbox, ok := mailHead([]byte(tc.head))
			assert.Equal(t, tc.ok, ok)
			if tc.ok {
				assert.Equal(t, tc.mbox, mbox)
			}
		})
	}
}

// TestMailNotRead: what a mail holds but cannot be decoded is listed as
// not read, with why; a body ending without its closing boundary is read.
func TestMailNotRead(t *testing.T) {
	pan := "4539578763621486"
	head := "From: a@b\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n"
	part := func(cte, body string) string {
		return "--XX\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: " + cte + "\r\nContent-Disposition: attachment; filename=\"a.txt\"\r\n\r\n" + body + "\r\n"
	}
	b64 := base64.StdEncoding.EncodeToString([]byte("card " + pan + "\n"))
	cases := []struct {
		name, mail, reason string
		found              bool
	}{
		{"unknown transfer encoding", head + part("x-uuencode", "begin 644 a.txt\n") + "--XX--\r\n", `unsupported transfer encoding "x-uuencode": not read`, false},
		{"corrupt base64", head + part("base64", "!!!!"+b64) + "--XX--\r\n", "illegal base64 data", false},
		{"base64 cut short", head + part("base64", b64[:len(b64)-3]), "truncated: the attachment's base64 ends part-way", true},
		{"no boundary", "From: a@b\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed\r\n\r\n" + pan + "\r\n", "multipart e-mail without a boundary", false},
		{"no closing boundary", head + part("base64", b64), "", true},
		{"quoted-printable, 7-bit spelt so", head + part("7-bit", "card "+pan) + part("quoted printable", "card 4539=\r\n578763621486") + "--XX--\r\n", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, "m.eml"), []byte(tc.mail), 0o644))
			r, err := Paths(context.Background(), []string{dir}, Options{})
			require.NoError(t, err)
			defer r.Close()
			found := false
			for f := range r.Findings() {
				found = found || f.Masked == MaskPAN(pan)
			}
			assert.Equal(t, tc.found, found, "the card number is found")
			if tc.reason == "" {
				assert.Empty(t, r.Skipped)
				return
			}
			require.Len(t, r.Skipped, 1)
			assert.Contains(t, r.Skipped[0].Reason, tc.reason)
		})
	}
}

// TestUnsupportedFormats: formats whose content is compressed or encoded
// inside, which the scanner cannot open, are not read, never taken for
// text or a binary's strings; text that merely begins with their magic is
// read.
func TestUnsupportedFormats(t *testing.T) {
	pan := "4539578763621486"
	bin := "\x00\x01\x02 " + pan + " \x00"
	cases := map[string]struct{ data, reason string }{
		"t.parquet": {"PAR1" + bin + "PAR1", "Parquet file"},
		"t.avro":    {"Obj\x01" + bin, "Avro file"},
		"t.orc":     {"ORC" + bin, "ORC file"},
		"t.pst":     {"!BDN\x00\x00\x00\x00SM\x17\x00" + bin, "Outlook PST/OST mailbox"},
		"t.Z":       {"\x1f\x9d\x90" + bin, "Unix compress (.Z)"},
		"t.lz":      {"LZIP\x01" + bin, "lzip"},
		"t.cab":     {"MSCF\x00\x00\x00\x00" + bin, "Microsoft cabinet"},
		"orc.txt":   {"ORC quarterly report: card " + pan + "\n", ""},
		"par1.txt":  {"PAR1 notes " + pan + "\n", ""},
	}
	files := map[string][]byte{}
	for name, tc := range cases {
		files[name] = []byte(tc.data)
	}
	reasons, found := scanFiles(t, files)
	for name, tc := range cases {
		if tc.reason == "" {
			assert.True(t, found[name], "%s is read as text", name)
			assert.NotContains(t, reasons, name)
			continue
		}
		assert.Equal(t, "unsupported format ("+tc.reason+"): not read", reasons[name], name)
		assert.False(t, found[name], "%s: nothing is reported from what was not read", name)
	}
}

// TestEncryptedFormats: files encrypted by the real tools (testdata/encrypted,
// SOURCE.md) are listed as encrypted and not read.
func TestEncryptedFormats(t *testing.T) {
	want := map[string]string{
		"sym.gpg": "OpenPGP message", "sym.asc": "OpenPGP message", "pk.gpg": "OpenPGP message",
		"plain.csv.enc": "OpenSSL enc", "plain.csv.age": "age", "vault.yml": "Ansible Vault",
		"book-protected.xlsx": "password-protected Office document",
	}
	files := map[string][]byte{}
	for name := range want {
		data, err := os.ReadFile(filepath.Join("testdata", "encrypted", name))
		require.NoError(t, err)
		files[name] = data
	}
	reasons, found := scanFiles(t, files)
	for name, format := range want {
		assert.Equal(t, "encrypted ("+format+"): not read", reasons[name], name)
		assert.False(t, found[name], "%s: a finding from an encrypted file", name)
	}
}

// scanFiles scans the files (name: content) in a folder of their own and
// returns why each one not read was not, and which gave findings.
func scanFiles(t *testing.T, files map[string][]byte) (reasons map[string]string, found map[string]bool) {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	r, err := Paths(context.Background(), []string{dir}, Options{})
	require.NoError(t, err)
	defer r.Close()
	reasons, found = map[string]string{}, map[string]bool{}
	for _, s := range r.Skipped {
		reasons[filepath.Base(s.File)] = s.Reason
	}
	for f := range r.Findings() {
		found[filepath.Base(f.File)] = true
	}
	return reasons, found
}

// TestMailOutsideTheParts: what a multipart body holds besides its parts'
// bodies — the preamble, a part's header, the epilogue — is read too.
func TestMailOutsideTheParts(t *testing.T) {
	pre, hdr, epi, body := "4539578763621486", "4916338506082832", "5105105105105100", "4111111111111111"
	mail := "From: a@b\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n" +
		"Preamble: card " + pre + "\r\n--XX\r\nContent-Type: text/plain\r\nContent-Description: card " + hdr + "\r\n\r\n" +
		"body " + body + "\r\n--XX--\r\nEpilogue: card " + epi + "\r\n"
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "m.eml"), []byte(mail), 0o644))
	r, err := Paths(context.Background(), []string{dir}, Options{})
	require.NoError(t, err)
	defer r.Close()
	assert.Empty(t, r.Skipped)
	got := map[string]string{}
	for f := range r.Findings() {
		got[f.Masked] = filepath.Base(f.File) + ":" + strconv.Itoa(f.Line)
	}
	assert.Equal(t, map[string]string{
		MaskPAN(pre): "m.eml!outside the parts:1", MaskPAN(hdr): "m.eml!outside the parts:3",
		MaskPAN(epi): "m.eml!outside the parts:5", MaskPAN(body): "m.eml!part 1:1",
	}, got)
}
