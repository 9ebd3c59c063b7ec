package probes

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/audit-tool/audit/browser"
)

// pageInputAt is an input with where it sits: its form (-1: none) and its
// index among that form's inputs.
type pageInputAt struct {
	form, index int
	in          pageInput
}

// pageLabel is a <label>: the id it names (for=) and its text.
type pageLabel struct {
	forID, text string
}

// classifyInputs decides which inputs are card fields, now that every
// label is known, and lists them.
func (s *pageScan) classifyInputs() {
	byFor := map[string]string{}
	for _, l := range s.labels {
		if l.forID != "" {
			if _, dup := byFor[l.forID]; !dup {
				byFor[l.forID] = l.text
			}
		}
	}
	for _, at := range s.inputs {
		in := at.in
		switch {
		case in.id != "" && byFor[in.id] != "":
			in.labelText = byFor[in.id]
		case in.label >= 0 && in.label < len(s.labels):
			in.labelText = s.labels[in.label].text
		}
		in.labelText = strings.Join(strings.Fields(in.labelText), " ")
		in.card = pageIsCardField(in)
		action := ""
		if at.form >= 0 {
			s.forms[at.form].inputs[at.index] = in
			action = s.forms[at.form].action
		}
		if !in.card {
			continue
		}
		name := in.name
		if name == "" {
			name = in.id
		}
		if name == "" {
			name = in.labelText
		}
		s.cardFields = append(s.cardFields, pageCardField{
			name: name, autocomplete: in.autocomplete, formAction: action, line: in.line, label: in.labelText,
		})
	}
}

// Autocomplete tokens of the card number, expiry and security code: the
// data that brings a page into PCI DSS scope, and what each holds (what
// the browser types there). cc-name is left out: a cardholder name alone
// is not account data a page must keep away from.
var pageCardAutocomplete = map[string]browser.CardPart{
	"cc-number": browser.CardNumber, "cc-exp": browser.CardExpiry, "cc-exp-month": browser.CardExpiryMonth,
	"cc-exp-year": browser.CardExpiryYear, "cc-csc": browser.CardCode,
}

// Names and labels that spell a card field once lower-cased, stripped of
// accents and punctuation ("Numéro de carte" → numerodecarte), in English,
// French, German, Spanish, Italian and Dutch, by what the field holds; and
// short words that count only as a whole word (pan, cvv). A security code
// is looked for first, then an expiry, then a number: "creditcardcvc" is a
// code, "date d'expiration de la carte bancaire" an expiry.
var (
	pageCardNameParts = []struct {
		part  browser.CardPart
		parts []string
	}{
		{browser.CardCode, []string{
			"cardcvc", "cardcvv", "securitycode", "cardverification", "cardcode", "cardsecurity", // en
			"cryptogramme", "codedesecurite", "codesecurite", // fr
			"kartenprufnummer", "prufnummer", "pruefnummer", "prufziffer", "sicherheitscode", // de
			"codigodeseguridad", "codigoseguridad", // es
			"codicedisicurezza", "codicesicurezza", // it
			"beveiligingscode", // nl
		}},
		{browser.CardExpiry, []string{
			"cardexp", "ccexp", "expirydate", "expirationdate", // en
			"datedexpiration", "dateexpiration", "datedevalidite", // fr
			"ablaufdatum", "gultigbis", "gueltigbis", "kartenablauf", // de
			"fechadecaducidad", "fechadevencimiento", "fechadeexpiracion", // es
			"datadiscadenza", "scadenzacarta", // it
			"vervaldatum", "verloopdatum", // nl
		}},
		{browser.CardNumber, []string{
			"cardnumber", "cardnum", "cardno", "ccnumber", "ccnum", "creditcard", "debitcard", // en
			"numerodecarte", "numerocarte", "numcarte", "nocarte", "cartebancaire", "cartedecredit", // fr
			"kartennummer", "kreditkarte", // de
			"numerodetarjeta", "numerotarjeta", "tarjetadecredito", // es
			"numerodellacarta", "numerocarta", "cartadicredito", // it
			"kaartnummer", "creditcardnummer", "pasnummer", // nl
		}},
	}
	pageCardNameWords = map[string]browser.CardPart{
		"pan": browser.CardNumber, "cvv": browser.CardCode, "cvv2": browser.CardCode, "cvc": browser.CardCode,
		"cvc2": browser.CardCode, "csc": browser.CardCode, "cvn": browser.CardCode, "cvx": browser.CardCode,
		"cryptogramme": browser.CardCode, "expiry": browser.CardExpiry,
	}
	// Words that make an expiry field its month or its year alone.
	pageMonthWords   = map[string]bool{"month": true, "mm": true, "mois": true, "monat": true, "mes": true, "mese": true, "maand": true}
	pageYearWords    = map[string]bool{"year": true, "yy": true, "yyyy": true, "annee": true, "jahr": true, "ano": true, "anno": true, "jaar": true}
	pageNotCardTypes = map[string]bool{
		"submit": true, "button": true, "image": true, "reset": true, "checkbox": true,
		"radio": true, "file": true, "color": true, "range": true,
		"email": true, "password": true, "url": true, "date": true, "search": true,
	}
	// A placeholder that shows a card number: 13 to 19 digits or dots in
	// groups ("4242 4242 4242 4242", "•••• •••• •••• ••••").
	pageCardPlaceholder = regexp.MustCompile(`^(?:[0-9•*xX#]{4}[ -]?){3}[0-9•*xX#]{1,7}$`)
	// A pattern that accepts 13 to 19 digits.
	pageCardPattern = regexp.MustCompile(`(?:\\d|\[0-9\])\{1[2-6],(?:1[6-9]|2[0-3])\}`)
)

func pageIsCardField(in pageInput) bool { return pageCardPartOf(in) != browser.NotCard }

// pageCardPartOf tells whether an input is a card field and what it
// holds: the number, the expiry (whole, month or year) or the code.
func pageCardPartOf(in pageInput) browser.CardPart {
	if pageNotCardTypes[in.typ] {
		return browser.NotCard
	}
	for _, tok := range strings.Fields(strings.ToLower(in.autocomplete)) {
		if p, ok := pageCardAutocomplete[tok]; ok {
			return p
		}
	}
	texts := []string{in.name, in.id, in.labelText, in.ariaLabel, in.placeholder}
	for _, text := range texts {
		words := pageWords(pageFold(text))
		joined := strings.Join(words, "")
		for _, byPart := range pageCardNameParts {
			for _, part := range byPart.parts {
				if strings.Contains(joined, part) {
					return pageExpiryPart(byPart.part, texts)
				}
			}
		}
		for _, w := range words {
			if p, ok := pageCardNameWords[w]; ok {
				return pageExpiryPart(p, texts)
			}
		}
	}
	if pageCardShape(in) {
		return browser.CardNumber
	}
	return browser.NotCard
}

// pageExpiryPart narrows an expiry field to its month or its year when
// its texts name one alone ("exp_month", placeholder "YY"; "MM/YY" is
// the whole expiry).
func pageExpiryPart(p browser.CardPart, texts []string) browser.CardPart {
	if p != browser.CardExpiry {
		return p
	}
	var month, year bool
	for _, text := range texts {
		for _, w := range pageWords(pageFold(text)) {
			month, year = month || pageMonthWords[w], year || pageYearWords[w]
		}
	}
	switch {
	case month && !year:
		return browser.CardExpiryMonth
	case year && !month:
		return browser.CardExpiryYear
	}
	return p
}

// pageCardShape recognises a card-number input by its shape alone: a
// numeric entry of 13 to 23 characters (19 digits and their spaces), a
// card-number pattern, or a card-number placeholder.
func pageCardShape(in pageInput) bool {
	if pageCardPlaceholder.MatchString(strings.TrimSpace(in.placeholder)) {
		return true
	}
	if pageCardPattern.MatchString(in.pattern) {
		return true
	}
	numeric := strings.EqualFold(strings.TrimSpace(in.inputmode), "numeric") || in.typ == "tel" || in.typ == "number"
	n, err := strconv.Atoi(strings.TrimSpace(in.maxlength))
	return numeric && err == nil && n >= 16 && n <= 23
}

// pageFold strips accents (é → e, ü → u, ß → ss), so that "Prüfnummer"
// and "Numéro" reach the word lists.
func pageFold(s string) string {
	s = strings.ReplaceAll(s, "ß", "ss")
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return out
}

// pageWords splits an identifier into lower-case words at punctuation and
// camelCase humps: "cardNumber[0]" → card, number, 0.
func pageWords(s string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	prevLower := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			cur = append(cur, r)
			prevLower = true
		case r >= 'A' && r <= 'Z':
			if prevLower {
				flush()
			}
			cur = append(cur, r)
			prevLower = false
		default:
			flush()
			prevLower = false
		}
	}
	flush()
	return words
}
