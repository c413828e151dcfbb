// Package static embeds the application's CSS, JavaScript and vendored third-party assets and
// serves them with fingerprinted URLs, long-lived caching and precompressed gzip.
//
// Templates link assets through Path, which returns a URL carrying a hash of the file's
// content ("/static/css/app.3f2a9c1b04de.css"). Such a URL never changes meaning, so it is
// cached for a year as immutable; a new build with different content gets a new URL.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"math"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

//go:embed css js vendor img
var files embed.FS

// FS holds the embedded assets, rooted at this directory: "css/app.css", "js/app.js",
// "img/favicon.svg", "vendor/echarts/echarts.min.js" and so on.
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

	compressible bool
	gzipOnce     sync.Once
	gz           []byte // nil when compressing does not make the file smaller
	gzETag       string
}

// gzipped returns the gzip representation and its ETag, computing it on first use.
func (a *asset) gzipped() ([]byte, string) {
	a.gzipOnce.Do(func() {
		var buf bytes.Buffer
		w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			return // only for an invalid level
		}
		// A zero header (no name, no time) keeps the output reproducible.
		if _, err := w.Write(a.data); err != nil {
			return
		}
		if err := w.Close(); err != nil {
			return
		}
		if buf.Len() < len(a.data) {
			a.gz = buf.Bytes()
			// A different ETag per representation: a cache must not answer a request for
			// identity with gzip bytes it validated under the same tag.
			a.gzETag = strings.TrimSuffix(a.etag, `"`) + `-gz"`
		}
	})
	return a.gz, a.gzETag
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
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		hash := hex.EncodeToString(sum[:])
		a := &asset{
			name:         name,
			contentType:  contentType(name),
			data:         data,
			etag:         `"` + hash[:32] + `"`,
			compressible: compressible[path.Ext(name)],
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
// For a name that is not embedded it returns the plain URL Prefix+name, which answers 404: a
// typo then shows up as a missing asset in the browser and in logs instead of failing the
// whole page.
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
// gets its styles. Compressible files (JS, CSS, SVG, JSON) are gzipped at best compression
// once per process, on their first request (about 60 ms for ECharts), and sent to clients
// that accept gzip. ETag / If-None-Match and Range work as
// in http.ServeContent. Anything else answers 404.
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
	if a.compressible {
		// Caches must key on Accept-Encoding whichever representation this response carries.
		h.Add("Vary", "Accept-Encoding")
		if Negotiate(r.Header.Get("Accept-Encoding"), "gzip") == "gzip" {
			if gz, gzETag := a.gzipped(); gz != nil {
				body, etag = gz, gzETag
				h.Set("Content-Encoding", "gzip")
				// ServeContent leaves Content-Length out once Content-Encoding is set; the
				// whole gzip body has a known length (a Range answer computes its own).
				if r.Header.Get("Range") == "" {
					h.Set("Content-Length", strconv.Itoa(len(gz)))
				}
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
