package web

import (
	"testing"

	"github.com/loyalty-cx/loyalty/views"
)

// TestGapIndexAddsUp: the gap shown beside the two indexes is their shown difference, so a
// reader who subtracts gets the same number (issue: AS-IS 29 and TO-BE 82 showed +54).
func TestGapIndexAddsUp(t *testing.T) {
	en := views.Loc{Lang: "en"}
	for _, tc := range []struct {
		asIs, toBe float64
		want       string
	}{
		{28.6, 82.4, "+53"}, // shown 29 and 82; the exact difference 53.8 would show +54
		{28.4, 81.6, "+54"}, // shown 28 and 82; exact 53.2 would show +53
		{50, 50, "0"},
		{60.5, 40.4, "−21"}, // shown 61 (half away from zero) and 40
		{0, 100, "+100"},
	} {
		if got := gapIndex(en, tc.asIs, tc.toBe); got != tc.want {
			t.Errorf("gapIndex(%g, %g) = %q, want %q", tc.asIs, tc.toBe, got, tc.want)
		}
	}
}
