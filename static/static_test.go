package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
)

func get(t testing.TB, target string, header ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, req)
	return rec.Result()
}

func body(t testing.TB, res *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func embedded(t testing.TB, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(FS, name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var fingerprinted = regexp.MustCompile(`^/static/css/app\.([0-9a-f]{12})\.css$`)

func TestPathIsFingerprintedByContent(t *testing.T) {
	p := Path("css/app.css")
	m := fingerprinted.FindStringSubmatch(p)
	if m == nil {
		t.Fatalf("Path(css/app.css) = %q, want /static/css/app.<12 hex>.css", p)
	}
	sum := sha256.Sum256(embedded(t, "css/app.css"))
	if want := hex.EncodeToString(sum[:])[:12]; m[1] != want {
		t.Errorf("Path(css/app.css) hash = %s, want sha256 prefix %s", m[1], want)
	}
	if got := Path("/css/app.css"); got != p {
		t.Errorf("Path(/css/app.css) = %q, want %q", got, p)
	}
	if got, want := Path("vendor/echarts/echarts.min.js"), regexp.MustCompile(`^/static/vendor/echarts/echarts\.min\.[0-9a-f]{12}\.js$`); !want.MatchString(got) {
		t.Errorf("Path(echarts) = %q, want it to match %s", got, want)
	}
	if got, want := Path("css/missing.css"), "/static/css/missing.css"; got != want {
		t.Errorf("Path(css/missing.css) = %q, want %q", got, want)
	}
}

func TestFingerprintedPathServesTheFile(t *testing.T) {
	for _, name := range []string{"css/app.css", "js/app.js", "vendor/echarts/echarts.min.js"} {
		t.Run(name, func(t *testing.T) {
			res := get(t, Path(name))
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d, want 200", Path(name), res.StatusCode)
			}
			if got := body(t, res); !bytes.Equal(got, embedded(t, name)) {
				t.Errorf("GET %s: body differs from the embedded file (%d vs %d bytes)", Path(name), len(got), len(embedded(t, name)))
			}
			if got := res.Header.Get("Content-Encoding"); got != "" {
				t.Errorf("Content-Encoding = %q without Accept-Encoding, want none", got)
			}
		})
	}
}

func TestContentTypeAndNosniff(t *testing.T) {
	tests := []struct{ name, want string }{
		{"css/app.css", "text/css; charset=utf-8"},
		{"js/app.js", "text/javascript; charset=utf-8"},
		{"vendor/echarts/echarts.min.js", "text/javascript; charset=utf-8"},
		{"vendor/echarts/VERSION.md", "text/markdown; charset=utf-8"},
		{"vendor/echarts/LICENSE", "text/plain; charset=utf-8"},
		{"img/favicon.svg", "image/svg+xml"},
	}
	for _, tt := range tests {
		res := get(t, Path(tt.name))
		if got := res.Header.Get("Content-Type"); got != tt.want {
			t.Errorf("GET %s: Content-Type = %q, want %q", tt.name, got, tt.want)
		}
		if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options = %q, want nosniff", tt.name, got)
		}
	}
}

// decode undoes a Content-Encoding.
func decode(t testing.TB, coding string, b []byte) []byte {
	t.Helper()
	var r io.Reader
	switch coding {
	case "br":
		r = brotli.NewReader(bytes.NewReader(b))
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		r = zr
	default:
		t.Fatalf("decode: unknown coding %q", coding)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s: %v", coding, err)
	}
	return out
}

func TestCompressedWhenAccepted(t *testing.T) {
	tests := []struct{ acceptEncoding, want string }{
		{"gzip, deflate, br, zstd", "br"}, // Chrome
		{"gzip, deflate, br", "br"},       // Firefox, Safari
		{"br", "br"},
		{"br, gzip;q=0.8", "br"},
		{"gzip;q=1, br;q=0.9", "gzip"},
		{"br;q=0, gzip", "gzip"},
		{"gzip", "gzip"},
		{"x-gzip", "gzip"},
		{"*", "br"},
		{"br;q=0, *", "gzip"},
	}
	for _, name := range []string{"vendor/echarts/echarts.min.js", "js/app.js", "css/app.css"} {
		want := embedded(t, name)
		for _, tt := range tests {
			res := get(t, Path(name), "Accept-Encoding", tt.acceptEncoding)
			if got := res.Header.Get("Content-Encoding"); got != tt.want {
				t.Errorf("%s, Accept-Encoding %q: Content-Encoding = %q, want %q", name, tt.acceptEncoding, got, tt.want)
				continue
			}
			if got := res.Header.Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("%s, Accept-Encoding %q: Vary = %q, want Accept-Encoding", name, tt.acceptEncoding, got)
			}
			raw := body(t, res)
			if len(raw) >= len(want) {
				t.Errorf("%s: %s body is %d bytes, not smaller than %d", name, tt.want, len(raw), len(want))
			}
			if got := decode(t, tt.want, raw); !bytes.Equal(got, want) {
				t.Errorf("%s: decoded %s body differs from the embedded file (%d vs %d bytes)", name, tt.want, len(got), len(want))
			}
			if cl := res.Header.Get("Content-Length"); cl != strconv.Itoa(len(raw)) {
				t.Errorf("%s, %s: Content-Length = %q, want %d", name, tt.want, cl, len(raw))
			}
		}
	}
}

// TestBrotliSmallerThanGzip checks that preferring br on a tie is worth it.
func TestBrotliSmallerThanGzip(t *testing.T) {
	for _, name := range []string{"vendor/echarts/echarts.min.js", "js/app.js", "css/app.css"} {
		br := body(t, get(t, Path(name), "Accept-Encoding", "br"))
		gz := body(t, get(t, Path(name), "Accept-Encoding", "gzip"))
		if len(br) >= len(gz) {
			t.Errorf("%s: br %d bytes, gzip %d: brotli should be smaller", name, len(br), len(gz))
		}
	}
}

func TestIdentityWhenNoCodingAccepted(t *testing.T) {
	name := "vendor/echarts/echarts.min.js"
	for _, ae := range []string{"", "identity", "deflate, zstd", "gzip;q=0, br;q=0", "*;q=0", "gzip;q=0, br;q=0, *", "gzip;q=0.5, br;q=0.5, identity"} {
		res := get(t, Path(name), "Accept-Encoding", ae)
		if got := res.Header.Get("Content-Encoding"); got != "" {
			t.Errorf("Accept-Encoding %q: Content-Encoding = %q, want none", ae, got)
		}
		if got := res.Header.Get("Vary"); got != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Vary = %q, want Accept-Encoding", ae, got)
		}
		if !bytes.Equal(body(t, res), embedded(t, name)) {
			t.Errorf("Accept-Encoding %q: body differs from the embedded file", ae)
		}
	}
}

// TestNoVaryWithoutVariants: a file that is never compressed has one representation.
func TestNoVaryWithoutVariants(t *testing.T) {
	res := get(t, Path("vendor/echarts/LICENSE"), "Accept-Encoding", "br, gzip")
	if got := res.Header.Get("Content-Encoding"); got != "" {
		t.Errorf("LICENSE: Content-Encoding = %q, want none", got)
	}
	if got := res.Header.Get("Vary"); got != "" {
		t.Errorf("LICENSE: Vary = %q, want none", got)
	}
}

func TestNegotiate(t *testing.T) {
	both := []string{"br", "gzip"}
	tests := []struct {
		header string
		offers []string
		want   string
	}{
		// No header, or nothing acceptable: identity.
		{"", both, ""},
		{" ", both, ""},
		{"identity", both, ""},
		{"deflate", both, ""},
		{"zstd, deflate", both, ""},
		{"gzip", nil, ""},
		// One coding listed.
		{"gzip", both, "gzip"},
		{"GZIP", both, "gzip"},
		{"x-gzip", both, "gzip"},
		{"br", both, "br"},
		{"Br", both, "br"},
		{"br", []string{"gzip"}, ""},
		// Browsers: the first offer wins a tie.
		{"gzip, deflate, br, zstd", both, "br"},
		{"gzip, deflate, br", both, "br"},
		{"gzip, br", []string{"gzip", "br"}, "gzip"},
		// q-values decide over the order of offers.
		{"gzip;q=1.0, br;q=0.9", both, "gzip"},
		{"br;q=0.1, gzip;q=0.2", both, "gzip"},
		{"br;q=0.9, gzip;q=0.8", both, "br"},
		{"gzip ; q=0.5 , br ; q=0.6", both, "br"},
		{"gzip;Q=0.5, br;q=0.4", both, "gzip"},
		{"br;q=0.001", both, "br"},
		// q=0 rules a coding out.
		{"br;q=0, gzip", both, "gzip"},
		{"br;q=0.0, gzip;q=0.000", both, ""},
		{"gzip; q=0", []string{"gzip"}, ""},
		// "*" stands for every coding not listed.
		{"*", both, "br"},
		{"*;q=0", both, ""},
		{"br;q=0, *", both, "gzip"},
		{"*;q=0.5, gzip", both, "gzip"},
		{"*;q=0.5, gzip;q=0.4", both, "br"},
		{"gzip;q=0, *", []string{"gzip"}, ""},
		// identity competes only when named.
		{"gzip;q=0.5", both, "gzip"},
		{"gzip;q=0.5, identity", both, ""},
		{"gzip, identity;q=0.5", both, "gzip"},
		{"gzip;q=0.5, identity;q=0.5", both, "gzip"},
		{"identity;q=0", both, ""},
		{"identity;q=0, *;q=0", both, ""},
		{"identity;q=0, br;q=0.1", both, "br"},
		// Malformed weights count as 0; empty list elements and other parameters are ignored.
		{"gzip;q=bogus", both, ""},
		{"gzip;q=2", both, ""},
		{"gzip;q=-1", both, ""},
		{"gzip;q=NaN", both, ""},
		{"br;q=bogus, gzip;q=0.1", both, "gzip"},
		{",, gzip ,", both, "gzip"},
		{"gzip;level=9", both, "gzip"},
		// A repeated coding counts with its highest weight.
		{"br;q=0, br;q=0.5, gzip;q=0.4", both, "br"},
	}
	for _, tt := range tests {
		if got := Negotiate(tt.header, tt.offers...); got != tt.want {
			t.Errorf("Negotiate(%q, %q) = %q, want %q", tt.header, tt.offers, got, tt.want)
		}
	}
}

func TestNotModifiedOnMatchingETag(t *testing.T) {
	tags := map[string]string{} // ETag → Accept-Encoding that got it
	for _, ae := range []string{"", "gzip", "br"} {
		first := get(t, Path("js/app.js"), "Accept-Encoding", ae)
		etag := first.Header.Get("ETag")
		if !regexp.MustCompile(`^"[0-9a-f]{32}(-gz|-br)?"$`).MatchString(etag) {
			t.Fatalf("Accept-Encoding %q: ETag = %q, want a quoted hash", ae, etag)
		}
		// The representations have different tags, so a cache cannot mix them up.
		if other, seen := tags[etag]; seen {
			t.Errorf("Accept-Encoding %q and %q share ETag %s", other, ae, etag)
		}
		tags[etag] = ae
		res := get(t, Path("js/app.js"), "Accept-Encoding", ae, "If-None-Match", `"other", `+etag)
		if res.StatusCode != http.StatusNotModified {
			t.Errorf("Accept-Encoding %q: If-None-Match %s = %d, want 304", ae, etag, res.StatusCode)
		}
		if b := body(t, res); len(b) != 0 {
			t.Errorf("Accept-Encoding %q: 304 has a %d-byte body", ae, len(b))
		}
		if got := res.Header.Get("ETag"); got != etag {
			t.Errorf("Accept-Encoding %q: 304 ETag = %q, want %q", ae, got, etag)
		}
		if got := res.Header.Get("Vary"); got != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: 304 Vary = %q, want Accept-Encoding", ae, got)
		}
		res = get(t, Path("js/app.js"), "Accept-Encoding", ae, "If-None-Match", `"stale"`)
		if res.StatusCode != http.StatusOK {
			t.Errorf("Accept-Encoding %q: If-None-Match \"stale\" = %d, want 200", ae, res.StatusCode)
		}
	}
	// A tag validated for one representation does not validate another.
	gzTag := get(t, Path("js/app.js"), "Accept-Encoding", "gzip").Header.Get("ETag")
	if res := get(t, Path("js/app.js"), "Accept-Encoding", "br", "If-None-Match", gzTag); res.StatusCode != http.StatusOK {
		t.Errorf("br request with the gzip ETag = %d, want 200", res.StatusCode)
	}
}

func TestCacheControl(t *testing.T) {
	const immutable = "public, max-age=31536000, immutable"
	const short = "public, max-age=300"
	stale := "/static/css/app.0123456789ab.css"
	if stale == Path("css/app.css") {
		t.Fatal("test fingerprint collides with the real one")
	}
	tests := []struct{ url, want string }{
		{Path("css/app.css"), immutable},
		{Path("vendor/echarts/echarts.min.js"), immutable},
		{"/static/css/app.css", short},
		{"/static/vendor/echarts/echarts.min.js", short},
		// An older build's fingerprint still gets the current file, but not for a year.
		{stale, short},
	}
	for _, tt := range tests {
		res := get(t, tt.url)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", tt.url, res.StatusCode)
			continue
		}
		if got := res.Header.Get("Cache-Control"); got != tt.want {
			t.Errorf("GET %s: Cache-Control = %q, want %q", tt.url, got, tt.want)
		}
	}
}

func TestNotFound(t *testing.T) {
	for _, url := range []string{
		"/static/css/missing.css",
		"/static/css/missing.0123456789ab.css",
		"/static/css/",
		"/static/",
		"/static",
		"/css/app.css",
		"/static/../static.go",
		"/static/css/../../static.go",
		"/static/static.go",
		"/static//css/app.css",
		"/static/css/app.0123456789AB.css",
	} {
		res := get(t, url)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", url, res.StatusCode)
		}
		if got := res.Header.Get("Cache-Control"); strings.Contains(got, "immutable") {
			t.Errorf("GET %s: 404 has Cache-Control %q", url, got)
		}
	}
}

func TestHeadAndMethods(t *testing.T) {
	for _, coding := range []string{"", "gzip", "br"} {
		req := httptest.NewRequest(http.MethodHead, Path("css/app.css"), nil)
		req.Header.Set("Accept-Encoding", coding)
		rec := httptest.NewRecorder()
		Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
			t.Errorf("HEAD (%q) = %d with %d-byte body, want 200 and no body", coding, rec.Code, rec.Body.Len())
		}
		if got := rec.Header().Get("Content-Encoding"); got != coding {
			t.Errorf("HEAD (%q): Content-Encoding = %q, want %q", coding, got, coding)
		}
		// The length of the body a GET with the same header would send.
		want := len(body(t, get(t, Path("css/app.css"), "Accept-Encoding", coding)))
		if got := rec.Header().Get("Content-Length"); got != strconv.Itoa(want) {
			t.Errorf("HEAD (%q): Content-Length = %q, want %d", coding, got, want)
		}
	}
	req := httptest.NewRequest(http.MethodPost, Path("css/app.css"), nil)
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST = %d, Allow %q; want 405, GET, HEAD", rec.Code, rec.Header().Get("Allow"))
	}
}

func TestFingerprintRoundTrip(t *testing.T) {
	tests := []struct{ name, fp string }{
		{"css/app.css", "css/app.0123456789ab.css"},
		{"vendor/echarts/echarts.min.js", "vendor/echarts/echarts.min.0123456789ab.js"},
	}
	for _, tt := range tests {
		if got := fingerprint(tt.name, "0123456789ab"); got != tt.fp {
			t.Errorf("fingerprint(%q) = %q, want %q", tt.name, got, tt.fp)
		}
		if got, ok := unfingerprint(tt.fp); !ok || got != tt.name {
			t.Errorf("unfingerprint(%q) = %q, %v; want %q, true", tt.fp, got, ok, tt.name)
		}
	}
	for _, s := range []string{"css/app.css", "vendor/echarts/echarts.min.js", "css/app.0123456789.css", "css/app.0123456789ag.css"} {
		if got, ok := unfingerprint(s); ok {
			t.Errorf("unfingerprint(%q) = %q, true; want false", s, got)
		}
	}
}

// TestOverRealHTTP checks what a recorder cannot: that the declared Content-Length matches
// the bytes on the wire for both representations, and that ranges work.
func TestOverRealHTTP(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	name := "vendor/echarts/echarts.min.js"
	want := embedded(t, name)
	fetch := func(header ...string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, srv.URL+Path(name), nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		return res, body(t, res)
	}

	for _, coding := range []string{"gzip", "br"} {
		res, b := fetch("Accept-Encoding", coding)
		if res.Header.Get("Content-Encoding") != coding || res.ContentLength != int64(len(b)) {
			t.Errorf("%s: Content-Encoding %q, Content-Length %d, %d bytes read", coding, res.Header.Get("Content-Encoding"), res.ContentLength, len(b))
		}
		if !bytes.Equal(decode(t, coding, b), want) {
			t.Errorf("%s: decoded body differs from the file", coding)
		}
	}
	res, b := fetch()
	if res.ContentLength != int64(len(want)) || !bytes.Equal(b, want) {
		t.Errorf("identity: Content-Length %d, %d bytes read, want %d", res.ContentLength, len(b), len(want))
	}
	res, b = fetch("Range", "bytes=0-99")
	if res.StatusCode != http.StatusPartialContent || !bytes.Equal(b, want[:100]) {
		t.Errorf("identity range: %d with %d bytes, want 206 with the first 100", res.StatusCode, len(b))
	}
	// A range is a range of the representation sent: of the encoded bytes.
	for _, coding := range []string{"gzip", "br"} {
		enc := embedded(t, name+map[string]string{"gzip": ".gz", "br": ".br"}[coding])
		res, b = fetch("Range", "bytes=100-199", "Accept-Encoding", coding)
		if res.StatusCode != http.StatusPartialContent || !bytes.Equal(b, enc[100:200]) || res.Header.Get("Content-Encoding") != coding {
			t.Errorf("%s range: %d, Content-Encoding %q, %d bytes; want 206 with bytes 100-199 of the %s variant", coding, res.StatusCode, res.Header.Get("Content-Encoding"), len(b), coding)
		}
		if got, want := res.Header.Get("Content-Range"), fmt.Sprintf("bytes 100-199/%d", len(enc)); got != want {
			t.Errorf("%s range: Content-Range = %q, want %q", coding, got, want)
		}
		// If-Range with the tag of this representation honours the range; with another
		// representation's tag it sends the whole body.
		etag := res.Header.Get("ETag")
		res, b = fetch("Range", "bytes=100-199", "Accept-Encoding", coding, "If-Range", etag)
		if res.StatusCode != http.StatusPartialContent || len(b) != 100 {
			t.Errorf("%s range, If-Range %s: %d with %d bytes, want 206 with 100", coding, etag, res.StatusCode, len(b))
		}
		res, b = fetch("Range", "bytes=100-199", "Accept-Encoding", coding, "If-Range", `"`+hashHex(want)[:32]+`"`)
		if res.StatusCode != http.StatusOK || !bytes.Equal(b, enc) {
			t.Errorf("%s range, If-Range of identity: %d with %d bytes, want 200 with the whole %s body", coding, res.StatusCode, len(b), coding)
		}
	}
}

// TestVariantsAreNotAssets: NAME.br and NAME.gz are representations of NAME, chosen by
// Accept-Encoding, never files with URLs of their own.
func TestVariantsAreNotAssets(t *testing.T) {
	for _, name := range []string{"js/app.js.br", "js/app.js.gz", "vendor/echarts/echarts.min.js.br", "css/app.css.gz"} {
		if _, err := fs.Stat(FS, name); err != nil {
			t.Fatalf("%s is not embedded: %v", name, err)
		}
		if got, want := Path(name), Prefix+name; got != want {
			t.Errorf("Path(%q) = %q, want the plain (404) %q", name, got, want)
		}
		for _, url := range []string{Prefix + name, Path(strings.TrimSuffix(name, path.Ext(name))) + path.Ext(name)} {
			if res := get(t, url, "Accept-Encoding", "br, gzip"); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", url, res.StatusCode)
			}
		}
	}
}

// TestPrecompressedVariants fails when the committed .br/.gz files do not match their
// sources, for example after an edit to app.css without go generate.
func TestPrecompressedVariants(t *testing.T) {
	const fix = "run `go generate ./static/` and commit the .br and .gz files it writes"
	names := map[string]bool{}
	err := fs.WalkDir(FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names[name] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name := range names {
		if isVariant(name) {
			src := strings.TrimSuffix(name, path.Ext(name))
			if !names[src] || !compressible[path.Ext(src)] {
				t.Errorf("%s has no compressible source file %s: %s (it removes stale variants)", name, src, fix)
			}
			continue
		}
		if !compressible[path.Ext(name)] {
			continue
		}
		src := embedded(t, name)
		for _, c := range codings {
			v := name + c.suffix
			if !names[v] {
				t.Errorf("%s has no %s variant %s: %s", name, c.coding, v, fix)
				continue
			}
			got := decode(t, c.coding, embedded(t, v))
			if !bytes.Equal(got, src) {
				t.Errorf("%s does not decompress to the current %s (%d bytes, want %d): %s", v, name, len(got), len(src), fix)
			}
		}
	}
}

// TestLoadVariants covers what the committed files do not: a variant that is not smaller is
// left out, and one without a source is ignored.
func TestLoadVariants(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 100)
	fsys := fstest.MapFS{
		"a.js":      {Data: big},
		"a.js.br":   {Data: make([]byte, 10)},
		"a.js.gz":   {Data: make([]byte, 100)}, // not smaller
		"b.css":     {Data: big},               // no variants
		"c.css.gz":  {Data: make([]byte, 10)},  // no source
		"d.txt":     {Data: big},
		"d.txt.gz":  {Data: make([]byte, 10)}, // not compressible
		"e.svg.gz":  {Data: make([]byte, 10)},
		"e.svg":     {Data: big},
		"e.svg.br":  {Data: make([]byte, 20)},
		"f.json.zz": {Data: big},
	}
	ix, err := buildIndex(fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"a.js": {"br"}, "b.css": nil, "d.txt": nil, "e.svg": {"br", "gzip"}, "f.json.zz": nil}
	if len(ix.byName) != len(want) {
		t.Errorf("index has %d assets, want %d (variants are not assets)", len(ix.byName), len(want))
	}
	for name, offers := range want {
		a := ix.byName[name]
		if a == nil {
			t.Errorf("%s is not indexed", name)
			continue
		}
		if !slices.Equal(a.offers, offers) {
			t.Errorf("%s offers %q, want %q", name, a.offers, offers)
		}
		for i, v := range a.variants {
			if v.coding != a.offers[i] || v.etag == a.etag {
				t.Errorf("%s variant %d: coding %q, ETag %s (identity %s)", name, i, v.coding, v.etag, a.etag)
			}
		}
	}
}

// echartsSHA256 is the sha256 of the radar-only ECharts build that
// static/echarts-build/build.sh writes; VERSION.md records the same value.
const echartsSHA256 = "3bd5cf801c20b44db23ae4106b38caaeb41c1c8c0a4cc3a1cdf630ba6a410b5f"

// TestVendoredEChartsChecksum guards the vendored ECharts against accidental edits and
// truncation: its sha256 must be the one recorded here and in VERSION.md.
func TestVendoredEChartsChecksum(t *testing.T) {
	doc := string(embedded(t, "vendor/echarts/VERSION.md"))
	m := regexp.MustCompile("(?m)^\\| sha256 +\\| `([0-9a-f]{64})` \\|$").FindStringSubmatch(doc)
	if m == nil {
		t.Fatal("VERSION.md has no sha256 row")
	}
	if m[1] != echartsSHA256 {
		t.Errorf("VERSION.md records sha256 %s, want %s", m[1], echartsSHA256)
	}
	if !regexp.MustCompile(`(?m)^\| Version +\| 5\.6\.0 \|$`).MatchString(doc) {
		t.Error("VERSION.md does not record version 5.6.0")
	}
	js := embedded(t, "vendor/echarts/echarts.min.js")
	sum := sha256.Sum256(js)
	if got := hex.EncodeToString(sum[:]); got != echartsSHA256 {
		t.Errorf("sha256(echarts.min.js) = %s, want %s (rebuilt without updating VERSION.md and this test?)", got, echartsSHA256)
	}
	// build.sh writes the versions it bundled into the banner, from the installed packages.
	for _, want := range []string{"Apache ECharts 5.6.0 (zrender 5.6.1), custom build", `"5.6.0"`, "Licensed to the Apache Software Foundation"} {
		if !bytes.Contains(js, []byte(want)) {
			t.Errorf("echarts.min.js does not contain %q", want)
		}
	}
	for _, name := range []string{"vendor/echarts/LICENSE", "vendor/echarts/NOTICE", "vendor/echarts/LICENSE-d3"} {
		if len(embedded(t, name)) == 0 {
			t.Errorf("%s is empty", name)
		}
	}
}

// TestBuildFilesAreNotEmbedded checks that the ECharts build script and its npm files stay
// out of the binary: whatever is embedded is served under /static/.
func TestBuildFilesAreNotEmbedded(t *testing.T) {
	err := fs.WalkDir(FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch path.Base(name) {
		case "package.json", "package-lock.json", "build.sh", "entry.js", "node_modules", "echarts-build":
			t.Errorf("%s is embedded (and served); build files belong in static/echarts-build/", name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Stat(FS, "echarts-build"); err == nil {
		t.Error("static/echarts-build is embedded")
	}
}

func BenchmarkServeStatic(b *testing.B) {
	cases := []struct {
		name, asset, encoding string
	}{
		{"app.js/br", "js/app.js", "gzip, deflate, br, zstd"},
		{"app.js/gzip", "js/app.js", "gzip"},
		{"app.js/identity", "js/app.js", ""},
		{"echarts/br", "vendor/echarts/echarts.min.js", "gzip, deflate, br, zstd"},
		{"echarts/gzip", "vendor/echarts/echarts.min.js", "gzip"},
		{"echarts/identity", "vendor/echarts/echarts.min.js", ""},
	}
	h := Handler()
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, Path(c.asset), nil)
			if c.encoding != "" {
				req.Header.Set("Accept-Encoding", c.encoding)
			}
			h.ServeHTTP(httptest.NewRecorder(), req) // build the index outside the timing
			b.ReportAllocs()
			for b.Loop() {
				w := discard{h: http.Header{}}
				h.ServeHTTP(&w, req)
				if w.code != http.StatusOK {
					b.Fatalf("status %d", w.code)
				}
			}
		})
	}
}

// discard is a ResponseWriter that drops the body, so the benchmark measures the handler
// rather than a recorder's buffer growth.
type discard struct {
	h    http.Header
	code int
}

func (d *discard) Header() http.Header { return d.h }
func (d *discard) WriteHeader(code int) {
	if d.code == 0 {
		d.code = code
	}
}
func (d *discard) Write(p []byte) (int, error) {
	d.WriteHeader(http.StatusOK)
	return len(p), nil
}
