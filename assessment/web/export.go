package web

import (
	"bytes"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/export"
	"github.com/loyalty-cx/loyalty/assessment/spreadsheet"
	"github.com/loyalty-cx/loyalty/views"
)

// This file is the exports: a workshop round, a client's history, the portfolio and a
// five-minute test's result as XLSX or CSV. Each has one handler that the page's download
// button (/w/…/export.xlsx, /r/{token}/export.csv?dialect=excel-eu) and the API
// (…/export?format=xlsx) share; it guards like the page it comes from, assessment/export
// decides what the file holds and assessment/spreadsheet writes it.

// Export formats.
const (
	formatXLSX = "xlsx"
	formatCSV  = "csv"
)

// exportOptions are what a download asks for.
type exportOptions struct {
	// format is formatXLSX or formatCSV.
	format string
	// dialect is how a CSV file separates its fields and writes its numbers.
	dialect spreadsheet.Dialect
}

// dialectNames are the values ?dialect= takes.
var dialectNames = func() []string {
	var out []string
	for _, d := range spreadsheet.Dialects {
		out = append(out, d.Name)
	}
	return out
}()

// pageDialect is the CSV dialect that Excel in the page's language opens by double-click:
// semicolons and decimal commas where the language writes a decimal comma (da, sv, nb).
func pageDialect(l views.Loc) spreadsheet.Dialect { return spreadsheet.DialectFor(l.Decimal()) }

// exportRequest reads what a download asks for. The format: a page route names it in the
// path (export.xlsx), the API in ?format=; anything not in allowed, or nothing, is EINVALID
// naming the field format. The CSV dialect: ?dialect= (rfc4180 or excel-eu); without it, on
// a page the one Excel in the page's language opens (pageDialect), and in the API rfc4180,
// what programs read, whatever language the headers are in. An unknown dialect is EINVALID
// naming the field dialect, whatever the format.
func exportRequest(c echo.Context, allowed ...string) (exportOptions, error) {
	opt := exportOptions{format: c.Param("format"), dialect: spreadsheet.RFC4180}
	if opt.format == "" {
		opt.format = c.QueryParam("format")
	}
	var problems []assessment.FieldError
	if !slices.Contains(allowed, opt.format) {
		problems = append(problems, assessment.Choice("format", opt.format, allowed))
	}
	if name := c.QueryParam("dialect"); name != "" || c.QueryParams().Has("dialect") {
		d, ok := spreadsheet.DialectNamed(name)
		if !ok {
			problems = append(problems, assessment.Choice("dialect", name, dialectNames))
		}
		opt.dialect = d
	} else if !isAPI(c) {
		opt.dialect = pageDialect(loc(c))
	}
	if problems != nil {
		return exportOptions{}, assessment.Invalid(problems)
	}
	return opt, nil
}

// sendExport writes wb as XLSX, or its table csv alone as CSV in the dialect asked for, into
// a buffer (so that a failure is a clean error, never half a file) and answers with it as a
// download named name. Exports hold a client's answers or a result: no cache may keep them.
func sendExport(c echo.Context, opt exportOptions, name string, wb func() export.Workbook, csv func() (export.Table, error)) error {
	var buf bytes.Buffer
	contentType := spreadsheet.ContentTypeXLSX
	if opt.format == formatCSV {
		t, err := csv()
		if err != nil {
			return err
		}
		if err := spreadsheet.CSV(&buf, t, opt.dialect); err != nil {
			return err
		}
		contentType = spreadsheet.ContentTypeCSV
	} else if err := spreadsheet.XLSX(&buf, wb()); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, contentType, buf.Bytes())
}

// exportLinks are the download buttons of a page's exports: base + ".xlsx" and so on, each
// with query (the page's filter, "" for none), in formats' order. CSV is offered in every
// dialect, each link naming its own (?dialect=), the one Excel in the page's language opens
// first.
func exportLinks(l views.Loc, base, query string, formats ...string) []views.Download {
	out := make([]views.Download, 0, len(formats)+1)
	for _, f := range formats {
		if f != formatCSV {
			out = append(out, views.Download{URL: base + "." + f + query, Label: l.T("export.button." + f), TestID: "download-" + f})
			continue
		}
		first := pageDialect(l)
		dialects := append([]spreadsheet.Dialect{first}, slices.DeleteFunc(slices.Clone(spreadsheet.Dialects),
			func(d spreadsheet.Dialect) bool { return d == first })...)
		q, sep := strings.TrimSuffix(query, "?"), "?"
		if q != "" {
			sep = "&"
		}
		for _, d := range dialects {
			out = append(out, views.Download{URL: base + "." + f + q + sep + "dialect=" + d.Name,
				Label: l.T("export.button.csv." + d.Name), Hint: l.T("export.hint.csv." + d.Name), TestID: "download-csv-" + d.Name})
		}
	}
	return out
}

// roundDownloads are a round's download buttons: the CSV of the answers only once enough
// participants have finished for single answers to be shown (the rule export.ErrDetail
// enforces on the file itself), else a note that says when.
func (s *Server) roundDownloads(l views.Loc, r *assessment.Round, finished int) ([]views.Download, string) {
	base := roundURL(r.ID, "/export")
	if s.q.ShowsDetail(finished) {
		return exportLinks(l, base, "", formatXLSX, formatCSV), ""
	}
	return exportLinks(l, base, "", formatXLSX), l.F("export.csv.later", views.Args{"Min": s.q.MinParticipantsForDetail})
}

// languageName is a language's own name ("Dansk"), as the language switch shows it.
func languageName(code string) string {
	for _, l := range views.Languages {
		if l.Code == code {
			return l.Name
		}
	}
	return code
}

// exportRound is a workshop round as XLSX (every sheet) or CSV (the anonymous answers; 409
// while fewer than min_participants_for_detail have finished). The file is in the round's
// language, the one its client answered in.
func (s *Server) exportRound(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	opt, err := exportRequest(c, formatXLSX, formatCSV)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cl, err := s.db.clients.Client(ctx, r.WorkspaceID, r.ClientID)
	if err != nil {
		return err
	}
	d := export.RoundData{Client: *cl, Round: *r, Language: languageName(r.Lang), Exported: s.now()}
	ps, err := s.db.participants.RoundParticipants(ctx, r.WorkspaceID, r.ID)
	if err != nil {
		return err
	}
	if d.Participants, _, err = s.shown(ctx, r, ps); err != nil {
		return err
	}
	d.Finished = assessment.ProgressOf(ps).Finished
	if d.Battles, err = s.db.battles.Battles(ctx, r.WorkspaceID, r.ID); err != nil {
		return err
	}
	if d.Notes, err = s.db.battles.Notes(ctx, r.WorkspaceID, r.ID); err != nil {
		return err
	}
	l := views.Loc{Lang: r.Lang}
	return s.auditExport(c, assessment.AuditTarget(assessment.TargetRound, r.ID), sendExport(c, opt, export.FileName(cl.Profile.Name, export.FileRound, r.OpenedAt, opt.format),
		func() export.Workbook { return export.RoundWorkbook(s.q, l, d) },
		func() (export.Table, error) { return export.RoundAnswers(s.q, l, d) }))
}

// exportHistory is a client's closed rounds over time, as XLSX, in the member's language.
func (s *Server) exportHistory(c echo.Context) error {
	cl, err := s.client(c)
	if err != nil {
		return err
	}
	opt, err := exportRequest(c, formatXLSX)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	rounds, err := s.db.rounds.Rounds(ctx, cl.WorkspaceID, cl.ID)
	if err != nil {
		return err
	}
	d := export.HistoryData{Client: *cl, Exported: s.now()}
	for _, r := range rounds {
		if r.Open() {
			continue
		}
		ps, err := s.db.participants.RoundParticipants(ctx, cl.WorkspaceID, r.ID)
		if err != nil {
			return err
		}
		d.Rounds = append(d.Rounds, assessment.RoundAnswers{Round: r, Participants: assessment.FinishedRatings(s.q.Shown(&r, ps))})
	}
	return s.auditExport(c, assessment.AuditTarget(assessment.TargetClient, cl.ID), sendExport(c, opt, export.FileName(cl.Profile.Name, export.FileHistory, s.now(), opt.format),
		func() export.Workbook { return export.ClientHistory(s.q, loc(c), d) }, nil))
}

// exportPortfolio is the portfolio as the page shows it (?industry=, ?sort=), as XLSX or
// CSV, in the member's language.
func (s *Server) exportPortfolio(c echo.Context) error {
	opt, err := exportRequest(c, formatXLSX, formatCSV)
	if err != nil {
		return err
	}
	rows, industry, _, err := s.portfolioRows(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	d := export.PortfolioData{Workspace: u.Workspace, Industry: industry, Rows: rows, Exported: s.now()}
	l := loc(c)
	return s.auditExport(c, assessment.TargetPortfolio, sendExport(c, opt, export.FileName(u.Workspace, export.FilePortfolio, s.now(), opt.format),
		func() export.Workbook { return export.Portfolio(s.q, l, d) },
		func() (export.Table, error) { return export.PortfolioTable(s.q, l, d), nil }))
}

// auditExport records a workspace export of target once it was sent (err nil, 200): a
// refused or unchanged (304) one downloaded nothing.
func (s *Server) auditExport(c echo.Context, target string, err error) error {
	if err == nil && c.Response().Status == http.StatusOK {
		s.audit(c, assessment.AuditEvent{Action: assessment.AuditExportDownloaded, Target: target})
	}
	return err
}

// exportResult is a five-minute test's result as XLSX or CSV, in the language it was taken
// in. The link's token is the key, as for the page. Its benchmark is the peer group the page
// shows (?group=; all companies when the profile cannot select it); the API, like its
// benchmark endpoint, answers 422 for a group the profile cannot select instead.
func (s *Server) exportResult(c echo.Context) error {
	ctx := c.Request().Context()
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	a, err := s.db.assessments.Assessment(ctx, c.Param("token"))
	if err != nil {
		return err
	}
	opt, err := exportRequest(c, formatXLSX, formatCSV)
	if err != nil {
		return err
	}
	res := s.q.Score(a.Ratings)
	// The figures of the current release, this very result left out, as on the page.
	var cmp comparison
	if isAPI(c) {
		cmp, err = s.benchmark(ctx, a, &res, requestedGroup(c))
	} else {
		cmp, err = s.pageBenchmark(c, self{source: a.ID}, a.Company, a.QuestionnaireVersion, &res)
	}
	if err != nil {
		return err
	}
	bench := cmp.Benchmark
	l := views.Loc{Lang: a.Lang}
	d := export.ResultData{Assessment: a, Result: res, Benchmark: bench, Group: s.groupLabel(l, bench.Group, a.Company),
		Language: languageName(a.Lang)}
	if bench.Available {
		d.Summary = s.benchmarkSentences(l, bench)
		d.Release = []string{l.F("bench.asof", views.Args{"Date": formatDate(l, cmp.group.AsOf)})}
		if !cmp.included {
			d.Release = append(d.Release, l.T("bench.pending"))
		}
	}
	return sendExport(c, opt, export.FileName(a.Company.Name, export.FileResult, a.CreatedAt, opt.format),
		func() export.Workbook { return export.Result(s.q, l, d) },
		func() (export.Table, error) { return export.ResultTable(s.q, l, d), nil })
}
