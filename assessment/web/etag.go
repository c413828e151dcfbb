package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// This file is the validators of the JSON API (RFC 9110 §8.8.3, §13): every resource it
// reads carries a strong ETag, GET and HEAD answer If-None-Match with 304, and a change sent
// with If-Match is made only while the tag still matches (412 otherwise; no If-Match means
// an unconditional change).

// gzipTagSuffix marks the tag of a gzipped representation (compress.go): each representation
// has its own strong tag, and a tag compares with either.
const gzipTagSuffix = "-gzip"

// strongETag is the strong entity tag of a representation: a hash of its bytes.
func strongETag(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// etagMatches reports whether the If-Match or If-None-Match header field list names tag: "*"
// names any; weak tags ("W/…") match only when weak is set (If-None-Match's weak comparison).
// A tag given for the gzipped representation names the identity one too.
func etagMatches(list, tag string, weak bool) bool {
	tag = strings.TrimSuffix(strings.TrimSuffix(tag, `"`), gzipTagSuffix)
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimSpace(t)
		if t == "*" {
			return true
		}
		if w, ok := strings.CutPrefix(t, "W/"); ok {
			if !weak {
				continue
			}
			t = w
		}
		if strings.TrimSuffix(strings.TrimSuffix(t, `"`), gzipTagSuffix) == tag {
			return true
		}
	}
	return false
}

// jsonTagged answers v as JSON with its strong ETag, which a later If-Match is compared with
// (etagOf gives the same tag for the same value).
func jsonTagged(c echo.Context, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", strongETag(b))
	return c.JSONBlob(status, b)
}

// etagOf is the tag jsonTagged sends for v.
func etagOf(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return strongETag(b), nil
}

// etags gives every successful GET and HEAD of the API a strong ETag (the handler's own, or a
// hash of the body) and answers a matching If-None-Match with 304 and no body. Handlers write
// whole bodies, so the body is collected first; HEAD computes the tag of the body GET would
// send, which net/http then leaves out.
func etags(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Method != http.MethodGet && req.Method != http.MethodHead {
			return next(c)
		}
		res := c.Response()
		cw := &collectWriter{ResponseWriter: res.Writer}
		res.Writer = cw
		err := next(c)
		res.Writer = cw.ResponseWriter
		if cw.status == 0 {
			return err // nothing written: the error handler answers
		}
		h := res.Header()
		if cw.status == http.StatusOK {
			if h.Get("ETag") == "" {
				h.Set("ETag", strongETag(cw.body.Bytes()))
			}
			if inm := req.Header.Get("If-None-Match"); inm != "" && etagMatches(inm, h.Get("ETag"), true) {
				h.Del(echo.HeaderContentType)
				h.Del(echo.HeaderContentLength)
				res.Writer.WriteHeader(http.StatusNotModified)
				return err
			}
		}
		res.Writer.WriteHeader(cw.status)
		if _, werr := res.Writer.Write(cw.body.Bytes()); err == nil {
			err = werr
		}
		return err
	}
}
