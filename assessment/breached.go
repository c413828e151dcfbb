package assessment

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strings"
	"sync"
)

// breachedGz is the list of well-known breached passwords, lower-cased, one a line
// (breached/README.md says where it comes from).
//
//go:embed breached/passwords.txt.gz
var breachedGz []byte

// breached is the list as a set, read on first use: about 100,000 entries, a few MB, that a
// process which never sets a password never pays for.
var breached = sync.OnceValue(func() map[string]struct{} {
	zr, err := gzip.NewReader(bytes.NewReader(breachedGz))
	if err != nil {
		panic("assessment: embedded breached-password list: " + err.Error())
	}
	set := make(map[string]struct{}, 100_000)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		set[sc.Text()] = struct{}{}
	}
	if err := sc.Err(); err != nil {
		panic("assessment: embedded breached-password list: " + err.Error())
	}
	return set
})

// IsBreached reports whether pw is among the well-known breached passwords, whatever its
// case: "Qwerty123456" is guessed as early as "qwerty123456".
func IsBreached(pw string) bool {
	_, ok := breached()[strings.ToLower(pw)]
	return ok
}

// BreachedCount is the number of passwords in the embedded list.
func BreachedCount() int { return len(breached()) }
