package web

import (
	"slices"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// formCountries are the countries the form offers, Nordic first (their names are the
// catalogue's country.XX); the API accepts any ISO 3166 code.
var formCountries = []string{"DK", "SE", "NO", "FI", "IS", "DE", "NL", "GB", "IE", "FR", "ES", "PL", "EE", "US"}

// profileForm holds the raw profile values of a submitted form.
type profileForm struct {
	industry, size, country, npsYears string
	consent                           bool
}

// profileChoices builds the profile selects of the test form.
func (s *Server) profileChoices(l views.Loc, p *views.TestPage, f profileForm) {
	for _, o := range s.q.Industries {
		p.Industries = append(p.Industries, views.ProfileChoice{Value: o.Key, Label: l.Text(o.Name), Selected: o.Key == f.industry})
	}
	for _, o := range s.q.SizeBands {
		p.Sizes = append(p.Sizes, views.ProfileChoice{Value: o.Key, Label: l.Text(o.Name), Selected: o.Key == f.size})
	}
	for _, c := range formCountries {
		p.Countries = append(p.Countries, views.ProfileChoice{Value: c, Label: l.T("country." + c), Selected: c == f.country})
	}
	if f.country != "" && !slices.Contains(formCountries, f.country) && assessment.IsCountry(f.country) {
		// A country given through the API, kept when a retake starts from its profile.
		p.Countries = append(p.Countries, views.ProfileChoice{Value: f.country, Label: f.country, Selected: true})
	}
	for _, sg := range s.q.Segments {
		p.NPSYears = append(p.NPSYears, views.ProfileChoice{Value: sg.Key, Label: l.Text(sg.Name), Selected: sg.Key == f.npsYears})
	}
	p.Consent = f.consent
}

// profileFields maps a domain field name to the form field and its label key.
var profileFields = map[string]struct{ form, label string }{
	"company.industry":  {"industry", "profile.industry"},
	"company.size":      {"size", "profile.size"},
	"company.country":   {"country", "profile.country"},
	"company.nps_years": {"nps_years", "profile.nps_years"},
}
