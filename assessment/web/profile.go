package web

import (
	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// formCountries are the countries the form offers, Nordic first; the API accepts any
// ISO 3166 code.
var formCountries = []struct {
	code  string
	names assessment.Text
}{
	{"DK", assessment.Text{"en": "Denmark", "da": "Danmark", "sv": "Danmark", "nb": "Danmark"}},
	{"SE", assessment.Text{"en": "Sweden", "da": "Sverige", "sv": "Sverige", "nb": "Sverige"}},
	{"NO", assessment.Text{"en": "Norway", "da": "Norge", "sv": "Norge", "nb": "Norge"}},
	{"FI", assessment.Text{"en": "Finland", "da": "Finland", "sv": "Finland", "nb": "Finland"}},
	{"IS", assessment.Text{"en": "Iceland", "da": "Island", "sv": "Island", "nb": "Island"}},
	{"DE", assessment.Text{"en": "Germany", "da": "Tyskland", "sv": "Tyskland", "nb": "Tyskland"}},
	{"NL", assessment.Text{"en": "Netherlands", "da": "Holland", "sv": "Nederländerna", "nb": "Nederland"}},
	{"GB", assessment.Text{"en": "United Kingdom", "da": "Storbritannien", "sv": "Storbritannien", "nb": "Storbritannia"}},
	{"IE", assessment.Text{"en": "Ireland", "da": "Irland", "sv": "Irland", "nb": "Irland"}},
	{"FR", assessment.Text{"en": "France", "da": "Frankrig", "sv": "Frankrike", "nb": "Frankrike"}},
	{"ES", assessment.Text{"en": "Spain", "da": "Spanien", "sv": "Spanien", "nb": "Spania"}},
	{"PL", assessment.Text{"en": "Poland", "da": "Polen", "sv": "Polen", "nb": "Polen"}},
	{"EE", assessment.Text{"en": "Estonia", "da": "Estland", "sv": "Estland", "nb": "Estland"}},
	{"US", assessment.Text{"en": "United States", "da": "USA", "sv": "USA", "nb": "USA"}},
}

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
		p.Countries = append(p.Countries, views.ProfileChoice{Value: c.code, Label: c.names.In(l.Lang), Selected: c.code == f.country})
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
