package web

import (
	"net/http/httptest"
	"testing"
)

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		header string
		want   bool
	}{
		{"", false}, {"gzip", true}, {"gzip, deflate, br", true}, {"br;q=1.0, gzip;q=0.8", true},
		{"gzip;q=0", false}, {"gzip;q=0.000", false}, {"GZIP", true}, {"deflate", false}, {"x-gzip2", false},
		{"*", true}, {"*;q=0", false}, {"br", false}, {"br, *;q=0.1", true}, {"gzip;q=0, *", false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Encoding", tt.header)
		if got := acceptsGzip(r); got != tt.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}

func TestPageCacheEvictsLeastRecentlyUsed(t *testing.T) {
	pc := newPageCache(2)
	pc.put("a", []byte("A"))
	pc.put("b", []byte("B"))
	pc.get("a") // a is now more recent than b
	pc.put("c", []byte("C"))
	if _, ok := pc.get("b"); ok {
		t.Error("b should have been evicted as the least recently used")
	}
	for _, k := range []string{"a", "c"} {
		if _, ok := pc.get(k); !ok {
			t.Errorf("%s was evicted, want it kept", k)
		}
	}
}
