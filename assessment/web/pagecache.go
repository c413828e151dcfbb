package web

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"io"
	"sync"

	"github.com/labstack/echo/v4"
)

// pageCache keeps rendered result pages, gzipped. A result never changes once taken; only
// its benchmark does, with a new release, and the key carries the release and the result
// generation (which a deletion changes), so a cached page is never stale. It is a small LRU: pages are viewed in bursts (a team opening a shared link), not
// forever.
type pageCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // front = most recently used
	items map[string]*list.Element
}

type cachedPage struct {
	key string
	gz  []byte
}

func newPageCache(max int) *pageCache {
	return &pageCache{max: max, order: list.New(), items: map[string]*list.Element{}}
}

func (pc *pageCache) get(key string) ([]byte, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	el, ok := pc.items[key]
	if !ok {
		return nil, false
	}
	pc.order.MoveToFront(el)
	return el.Value.(*cachedPage).gz, true
}

func (pc *pageCache) put(key string, gz []byte) {
	if pc.max == 0 {
		return
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if el, ok := pc.items[key]; ok {
		el.Value.(*cachedPage).gz = gz
		pc.order.MoveToFront(el)
		return
	}
	pc.items[key] = pc.order.PushFront(&cachedPage{key: key, gz: gz})
	for pc.order.Len() > pc.max {
		last := pc.order.Back()
		pc.order.Remove(last)
		delete(pc.items, last.Value.(*cachedPage).key)
	}
}

// evict drops every page whose key match reports, such as all the pages of a deleted
// result.
func (pc *pageCache) evict(match func(key string) bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	for key, el := range pc.items {
		if match(key) {
			pc.order.Remove(el)
			delete(pc.items, key)
		}
	}
}

// writeGzippedHTML sends a gzipped page, decompressing it for the rare client that does not
// take gzip.
func writeGzippedHTML(c echo.Context, status int, gz []byte) error {
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	if acceptsGzip(c.Request()) {
		h.Set("Content-Encoding", "gzip")
		return c.Blob(status, echo.MIMETextHTMLCharsetUTF8, gz)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return err
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return err
	}
	return c.Blob(status, echo.MIMETextHTMLCharsetUTF8, raw)
}
