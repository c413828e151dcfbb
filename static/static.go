// Package static embeds the application's CSS, JavaScript and vendored third-party assets and
// serves them with fingerprinted URLs, long-lived caching and precompressed brotli and gzip.
//
// Templates link assets through Path, which returns a URL carrying a hash of the file's
// content ("/static/css/app.3f2a9c1b04de.css"). Such a URL never changes meaning, so it is
// cached for a year as immutable; a new build with different content gets a new URL.
//
// Compressible files (JS, CSS, SVG, JSON) have committed variants next to them, NAME.br and
// NAME.gz, written by `go generate ./static/` (internal/compress). Handler picks one per
// request with Negotiate; the variants are never assets of their own. The tests fail when a
// variant does not decompress to its source, so a forgotten go generate is caught.
package static

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Keep the folders in step with roots in internal/compress. The ECharts build files live in
// echarts-build/, outside these folders, so they are neither embedded nor served.
//
//go:generate go run ./internal/compress -q
//go:embed css js vendor img
var files embed.FS

// FS holds the embedded assets, rooted at this directory: "css/app.css", "js/app.js",
// "img/favicon.svg", "vendor/echarts/echarts.min.js" and so on, and the precompressed
// variants of the compressible ones ("js/app.js.br", "js/app.js.gz").
var FS fs.FS = files

// Prefix is the URL path under which Handler serves FS.
const Prefix = "/static/"

// hashLen is the number of hex digits of the content sha256 in a fingerprinted name: 48 bits,
// plenty to tell a few dozen versions of one file apart.
const hashLen = 12

// Cache-Control values. A fingerprinted URL names one exact content, so browsers may keep it
// without revalidating; a plain URL may change with the next deploy.
const (
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheShort     = "public, max-age=300"
)

// asset is one embedded file with everything needed to serve it.
type asset struct {
	name        string // path in FS, e.g. "css/app.css"
	url         string // fingerprinted URL, e.g. "/static/css/app.3f2a9c1b04de.css"
	contentType string
	data        []byte
	etag        string // strong ETag of the identity representation

	// variants are the precompressed representations smaller than data, in the order of
	// codings; offers lists their content codings in the same order, for Negotiate.
	variants []variant
	offers   []string
}

// variant is one precompressed representation of an asset.
type variant struct {
	coding string // Content-Encoding: "br" or "gzip"
	data   []byte
	// etag is a hash of these bytes with the coding appended ("…-br"): each representation
	// has its own strong tag, so a cache never answers a request for one with bytes it
	// validated as another, and a Range with If-Range never splices two encodings.
	etag string
}

// codings are the variant suffixes package static serves, best first: on a tie in the
// client's q-values brotli wins, being 15-20% smaller than gzip on this app's JS and CSS.
var codings = []struct{ suffix, coding string }{
	{".br", "br"},
	{".gz", "gzip"},
}

// isVariant reports whether name is a precompressed variant ("js/app.js.br").
func isVariant(name string) bool {
	ext := path.Ext(name)
	for _, c := range codings {
		if ext == c.suffix {
			return true
		}
	}
	return false
}

type index struct {
	byName map[string]*asset // "css/app.css"
	byURL  map[string]*asset // "css/app.3f2a9c1b04de.css" (without Prefix)
}

var (
	indexOnce sync.Once
	idx       *index
	indexErr  error
)

// assets returns the index of FS, built once on first use (hashing about 1 MB takes a few
// milliseconds).
func assets() *index {
	indexOnce.Do(func() { idx, indexErr = buildIndex(FS) })
	if indexErr != nil {
		// The files are compiled into the binary; failing to read them is a build defect.
		panic(fmt.Sprintf("static: %v", indexErr))
	}
	return idx
}

func buildIndex(fsys fs.FS) (*index, error) {
	ix := &index{byName: map[string]*asset{}, byURL: map[string]*asset{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || isVariant(name) {
			return err
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		hash := hashHex(data)
		a := &asset{
			name:        name,
			contentType: contentType(name),
			data:        data,
			etag:        `"` + hash[:32] + `"`,
		}
		if compressible[path.Ext(name)] {
			if err := a.loadVariants(fsys); err != nil {
				return err
			}
		}
		fp := fingerprint(name, hash[:hashLen])
		a.url = Prefix + fp
		ix.byName[name] = a
		ix.byURL[fp] = a
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ix, nil
}

// loadVariants attaches the committed NAME.br and NAME.gz of the asset. A missing variant is
// served as identity (TestPrecompressedVariants fails on it), and one that is not smaller
// than the file is left out: sending it would cost bytes.
func (a *asset) loadVariants(fsys fs.FS) error {
	for _, c := range codings {
		data, err := fs.ReadFile(fsys, a.name+c.suffix)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if len(data) >= len(a.data) {
			continue
		}
		a.variants = append(a.variants, variant{
			coding: c.coding,
			data:   data,
			etag:   `"` + hashHex(data)[:32] + "-" + c.suffix[1:] + `"`,
		})
		a.offers = append(a.offers, c.coding)
	}
	return nil
}

func hashHex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// fingerprint inserts hash before the extension: "js/echarts.min.js" → "js/echarts.min.HASH.js".
func fingerprint(name, hash string) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hash + ext
}

// unfingerprint removes a hash-shaped segment before the extension, if there is one.
func unfingerprint(name string) (string, bool) {
	ext := path.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	dot := strings.LastIndexByte(stem, '.')
	if dot < 0 || len(stem)-dot-1 != hashLen {
		return "", false
	}
	for _, c := range stem[dot+1:] {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return "", false
		}
	}
	return stem[:dot] + ext, true
}

// Path returns the fingerprinted URL of the asset name (a path in FS such as "css/app.css";
// a leading "/" is ignored), for use in templates: <link href={ static.Path("css/app.css") }>.
//
// For a name that is not embedded, or that names a precompressed variant ("js/app.js.br"), it
// returns the plain URL Prefix+name, which answers 404: a typo then shows up as a missing
// asset in the browser and in logs instead of failing the whole page.
func Path(name string) string {
	name = strings.TrimPrefix(name, "/")
	if a, ok := assets().byName[name]; ok {
		return a.url
	}
	return Prefix + name
}

// Handler returns the http.Handler that serves FS under Prefix. Mount it for every path
// that starts with Prefix, keeping the prefix in the request path (http.ServeMux:
// mux.Handle("/static/", static.Handler()); echo: e.GET("/static/*",
// echo.WrapHandler(static.Handler()))).
//
// A fingerprinted URL from Path is cached as immutable for a year; the plain URL of the same
// file ("/static/css/app.css") and a fingerprint of an older build are served with the
// current content but cached for 5 minutes only, so a page from the previous deploy still
// gets its styles. Compressible files (JS, CSS, SVG, JSON) are sent as their precompressed
// brotli variant when the request's Accept-Encoding allows br, else as gzip when it allows
// gzip, else as they are (see Negotiate); each representation has its own ETag, and every
// response for such a file says Vary: Accept-Encoding. ETag / If-None-Match, HEAD and Range
// work as in http.ServeContent, on the bytes of the chosen representation. The variants have
// no URL of their own ("/static/js/app.js.br" answers 404), and anything else answers 404 too.
func Handler() http.Handler { return handler{} }

type handler struct{}

// ServeHTTP implements http.Handler.
func (handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name, ok := strings.CutPrefix(r.URL.Path, Prefix)
	if !ok || !fs.ValidPath(name) {
		http.NotFound(w, r)
		return
	}
	ix := assets()
	cache := cacheImmutable
	a, ok := ix.byURL[name]
	if !ok {
		cache = cacheShort
		a, ok = ix.byName[name]
		if !ok {
			if plain, stale := unfingerprint(name); stale {
				a, ok = ix.byName[plain]
			}
		}
	}
	if !ok {
		http.NotFound(w, r)
		return
	}

	body, etag := a.data, a.etag
	if len(a.offers) > 0 {
		// Caches must key on Accept-Encoding whichever representation this response carries.
		h.Add("Vary", "Accept-Encoding")
		if coding := Negotiate(r.Header.Get("Accept-Encoding"), a.offers...); coding != "" {
			v := a.variants[slices.Index(a.offers, coding)]
			body, etag = v.data, v.etag
			h.Set("Content-Encoding", coding)
			// ServeContent leaves Content-Length out once Content-Encoding is set; the
			// whole encoded body has a known length (a Range answer computes its own).
			if r.Header.Get("Range") == "" {
				h.Set("Content-Length", strconv.Itoa(len(body)))
			}
		}
	}
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", cache)
	h.Set("ETag", etag)
	// ServeContent answers If-None-Match with 304, handles HEAD and Range, and sets
	// Content-Length. A zero modtime leaves Last-Modified out: the ETag is the validator.
	http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(body))
}

// Negotiate returns the content coding to send, given a request's Accept-Encoding header
// value and the codings the server has for the response (offers, best first, e.g. "br",
// "gzip"; never "identity"), following RFC 9110 §12.5.3:
//
//   - An offer is acceptable if the header lists it, or else lists "*", with a q-value above
//     0. Codings are case-insensitive; "x-gzip" counts as "gzip". A q-value that is not a
//     number from 0 to 1 counts as 0.
//   - The acceptable offer with the highest q-value wins; on a tie, the earlier offer.
//   - Identity (no coding) is the fallback. It beats the winner only when the header names
//     "identity" with a higher q-value ("gzip;q=0.5, identity" answers "").
//
// It returns the winning offer as passed in, or "" to send the content as it is: for an
// empty or absent header, when no offer is acceptable, and also when the header rules out
// identity too ("identity;q=0", "*;q=0") but accepts no offer, since a server then may still
// send identity rather than fail. Whoever calls it must add "Vary: Accept-Encoding" to the
// response whatever it returns.
func Negotiate(acceptEncoding string, offers ...string) string {
	explicit := map[string]float64{}
	star := -1.0
	for part := range strings.SplitSeq(acceptEncoding, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding == "" {
			continue // an empty list element ("gzip, , br") is allowed and means nothing
		}
		if coding == "x-gzip" {
			coding = "gzip"
		}
		q := qValue(params)
		if coding == "*" {
			star = max(star, q)
			continue
		}
		if old, ok := explicit[coding]; !ok || q > old {
			explicit[coding] = q
		}
	}
	best, bestQ := "", 0.0
	for _, offer := range offers {
		q, ok := explicit[strings.ToLower(offer)]
		if !ok {
			q = star
		}
		if q > bestQ {
			best, bestQ = offer, q
		}
	}
	if q, ok := explicit["identity"]; ok && q > bestQ {
		return ""
	}
	return best
}

// qValue returns the weight among the parameters after a coding (" q=0.5"), 1 without one,
// and 0 for a malformed one.
func qValue(params string) float64 {
	q := 1.0
	for p := range strings.SplitSeq(params, ";") {
		k, v, ok := strings.Cut(p, "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || f < 0 || f > 1 || math.IsNaN(f) {
				f = 0
			}
			q = f
		}
	}
	return q
}

var compressible = map[string]bool{".js": true, ".mjs": true, ".css": true, ".svg": true, ".json": true, ".map": true}

// contentTypes fixes the types of the files this application ships, so they do not depend on
// the host's mime.types.
var contentTypes = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".json":  "application/json",
	".map":   "application/json",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".webp":  "image/webp",
	".ico":   "image/vnd.microsoft.icon",
	".woff2": "font/woff2",
	".txt":   "text/plain; charset=utf-8",
	".md":    "text/markdown; charset=utf-8",
	"":       "text/plain; charset=utf-8", // LICENSE, NOTICE
}

func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}
