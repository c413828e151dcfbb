package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment/spreadsheet"
	"github.com/loyalty-cx/loyalty/static"
)

// This file is the compression of dynamic responses. Whether a client gets gzip is decided in
// one place for the whole app, static.Negotiate; static assets carry precompressed brotli and
// gzip of their own, and result pages are cached already gzipped.

// gzipLevel is the compression level of HTML and JSON: level 5 is within a few percent of
// the best size at a fraction of its cost.
const gzipLevel = 5

// minGzipBytes is the smallest body worth compressing: below it the gzip header and the
// client's work cost more than the bytes saved.
const minGzipBytes = 1024

// gzipWriters reuses compressors: a new gzip.Writer allocates about a megabyte of tables.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzipLevel) // the level is a valid constant
	return zw
}}

// gzipBytes compresses b at gzipLevel.
func gzipBytes(b []byte) ([]byte, error) {
	buf := bytes.NewBuffer(make([]byte, 0, len(b)/4)) // HTML compresses about 5:1
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(buf)
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// acceptsGzip reports whether the request accepts a gzip body.
func acceptsGzip(r *http.Request) bool {
	return static.Negotiate(r.Header.Get("Accept-Encoding"), "gzip") == "gzip"
}

// compress gzips the body of a dynamic response when the client accepts it and it is large
// enough; never a live stream's. Handlers write whole bodies (pages are rendered into a buffer first), so the body
// is collected and compressed at once. A response that sets its own Content-Encoding (a
// cached gzipped page) and the static files pass through untouched.
func compress(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if strings.HasPrefix(c.Request().URL.Path, static.Prefix) || isStream(c) {
			return next(c)
		}
		res := c.Response()
		res.Header().Add("Vary", "Accept-Encoding")
		if !acceptsGzip(c.Request()) {
			return next(c)
		}
		cw := &collectWriter{ResponseWriter: res.Writer}
		res.Writer = cw
		err := next(c)
		res.Writer = cw.ResponseWriter
		if ferr := cw.finish(); err == nil {
			err = ferr
		}
		return err
	}
}

// isStream reports whether c is a live stream (events.go): its events must leave at once,
// while this middleware holds a body until the handler returns. Events are small; a
// proxy may still compress them as they pass.
func isStream(c echo.Context) bool { return strings.HasSuffix(c.Path(), "/events") }

// compressed reports whether a content type is compressed already: an XLSX file is a zip
// archive, and gzip would only cost time.
func compressed(contentType string) bool {
	return contentType == spreadsheet.ContentTypeXLSX
}

// collectWriter holds a response's status and body until the handler is done, then writes it
// gzipped or as it is.
type collectWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (w *collectWriter) WriteHeader(status int) { w.status = status }

func (w *collectWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(b)
}

// finish writes what was collected. Nothing collected (a handler that failed before writing)
// writes nothing, so the error handler can still answer.
func (w *collectWriter) finish() error {
	if w.status == 0 {
		return nil
	}
	h := w.Header()
	body := w.body.Bytes()
	if h.Get("Content-Encoding") == "" && len(body) >= minGzipBytes && w.status != http.StatusNoContent && w.status != http.StatusNotModified &&
		!compressed(h.Get("Content-Type")) {
		gz, err := gzipBytes(body)
		if err != nil {
			return err
		}
		h.Set("Content-Encoding", "gzip")
		// The gzipped bytes are another representation: a strong tag gets a suffix of its own
		// (etag.go compares it with the identity one's).
		if et := h.Get("ETag"); strings.HasPrefix(et, `"`) {
			h.Set("ETag", strings.TrimSuffix(et, `"`)+gzipTagSuffix+`"`)
		}
		body = gz
	}
	h.Del("Content-Length")
	w.ResponseWriter.WriteHeader(w.status)
	_, err := w.ResponseWriter.Write(body)
	return err
}
