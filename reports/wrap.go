package reports

// Wrap breaks s into lines of at most width display cells, as the table
// does: at spaces, and inside a word longer than a line, keeping every
// character. Other commands' text output (audit list) fits the terminal
// the same way.
func Wrap(s string, width int) []string { return wrap(s, width) }
