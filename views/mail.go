package views

import (
	"bytes"
	"html/template"
	"strings"

	"github.com/loyalty-cx/loyalty/assessment"
)

// This file writes the app's email: one message per kind, in the recipient's language, as
// plain text and as HTML with the same words and the same link. The HTML goes through
// html/template, so a workspace's or a person's name is text, never markup. Email clients
// ignore style sheets: the few styles are inline.

// MailParts is the wording of one message.
type MailParts struct {
	Lang    string
	Subject string
	// Lines are the paragraphs before the link.
	Lines []string
	// Action is the link's label; Link is the absolute URL.
	Action string
	Link   string
	// After are the paragraphs after the link (how long it works, what to do if it was not
	// you).
	After []string
}

var mailHTML = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.Subject}}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1b1f24;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7;padding:24px 12px;"><tr><td align="center">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px;padding:28px 28px 20px;text-align:left;">
<tr><td style="font-size:13px;letter-spacing:.08em;text-transform:uppercase;color:#5b6470;padding-bottom:16px;">LOYALTY</td></tr>
{{range .Lines}}<tr><td style="font-size:16px;line-height:1.5;padding-bottom:14px;">{{.}}</td></tr>
{{end}}<tr><td style="padding:8px 0 20px;"><a href="{{.Link}}" style="display:inline-block;background:#0b5cad;color:#ffffff;text-decoration:none;font-weight:600;font-size:16px;padding:12px 22px;border-radius:6px;">{{.Action}}</a></td></tr>
<tr><td style="font-size:13px;line-height:1.5;color:#5b6470;padding-bottom:12px;word-break:break-all;">{{.Link}}</td></tr>
{{range .After}}<tr><td style="font-size:13px;line-height:1.5;color:#5b6470;padding-bottom:8px;">{{.}}</td></tr>
{{end}}</table>
</td></tr></table>
</body>
</html>
`))

// Mail renders p as a message of kind to to.
func (p MailParts) Mail(kind, to string) (assessment.Mail, error) {
	var html bytes.Buffer
	if err := mailHTML.Execute(&html, p); err != nil {
		return assessment.Mail{}, err
	}
	var text strings.Builder
	for _, l := range p.Lines {
		text.WriteString(l + "\n\n")
	}
	text.WriteString(p.Action + ":\n" + p.Link + "\n\n")
	for _, l := range p.After {
		text.WriteString(l + "\n\n")
	}
	text.WriteString("-- \nLOYALTY\n")
	return assessment.Mail{Kind: kind, To: to, Subject: p.Subject, Text: text.String(), HTML: html.String()}, nil
}

// InvitationMail is the invitation of to to the workspace, from inviter, with its link.
func (l Loc) InvitationMail(to, inviter, workspace, link string) (assessment.Mail, error) {
	args := Args{"Inviter": inviter, "Workspace": workspace}
	return MailParts{Lang: l.Lang, Subject: l.F("mail.invite.subject", args),
		Lines:  []string{l.F("mail.invite.body", args)},
		Action: l.T("mail.invite.action"), Link: link,
		After: []string{l.T("mail.invite.expiry"), l.T("mail.invite.ignore")}}.Mail(assessment.MailInvitation, to)
}

// ResetMail is a forgotten password's link for to.
func (l Loc) ResetMail(to, link string) (assessment.Mail, error) {
	return MailParts{Lang: l.Lang, Subject: l.T("mail.reset.subject"),
		Lines:  []string{l.F("mail.reset.body", Args{"Email": to})},
		Action: l.T("mail.reset.action"), Link: link,
		After: []string{l.T("mail.reset.expiry"), l.T("mail.reset.ignore")}}.Mail(assessment.MailPasswordReset, to)
}

// ResultLinkMail is a five-minute test's private link, sent to its holder.
func (l Loc) ResultLinkMail(to, taken, link string) (assessment.Mail, error) {
	return MailParts{Lang: l.Lang, Subject: l.T("result.mail.subject"),
		Lines:  []string{l.F("result.email.body", Args{"Date": taken})},
		Action: l.T("result.email.action"), Link: link,
		After: []string{l.T("result.email.ignore")}}.Mail(assessment.MailResultLink, to)
}

// TeamInvitationMail is a colleague's personal link to a team round, labelled label, sent by
// the team page's holder; company names the team ("" when the result named none) and min is
// how many must finish before the team's result shows.
func (l Loc) TeamInvitationMail(to, label, company, link string, min int) (assessment.Mail, error) {
	if company == "" {
		company = l.T("team.round.title")
	}
	return MailParts{Lang: l.Lang, Subject: l.F("team.colleagues.mail.subject", Args{"Company": company}),
		Lines:  []string{l.F("mail.team.greeting", Args{"Label": label}), l.F("mail.team.body", Args{"Count": min})},
		Action: l.T("mail.team.action"), Link: link,
		After: []string{l.T("mail.team.once"), l.T("mail.team.ignore")}}.Mail(assessment.MailTeamInvitation, to)
}

// VerificationMail is the single-use link that confirms a result taken on taken for
// domain, sent to the address its holder typed (which the outbox erases once it is sent).
func (l Loc) VerificationMail(to, domain, taken, link string) (assessment.Mail, error) {
	return MailParts{Lang: l.Lang, Subject: l.T("verify.mail.subject"),
		Lines:  []string{l.F("verify.mail.body", Args{"Date": taken, "Domain": domain})},
		Action: l.T("verify.mail.action"), Link: link,
		After: []string{l.T("verify.mail.ignore")}}.Mail(assessment.MailVerification, to)
}
