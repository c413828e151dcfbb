package views

// AccountPage is /w/account: the signed-in member's own account, the change of password and
// the second factors.
type AccountPage struct {
	WSPage
	Name  string
	Email string
	// Role is the translated role.
	Role string
	// Notice confirms the change just made.
	Notice string
	// PasswordError explains why the password was not changed; CurrentError and NewError
	// sit beside their fields.
	PasswordError string
	CurrentError  string
	NewError      string
	// MinPassword is the policy's shortest password, for the form's hint.
	MinPassword int
	// TOTP says whether an authenticator app is the member's second factor.
	TOTP bool
	// RecoveryLeft is how many unused recovery codes the member has.
	RecoveryLeft int
	// Passkeys is how many passkeys that still sign in the member has (each a second factor).
	Passkeys int
	// RecoveryCodes are shown once, right after TOTP was turned on.
	RecoveryCodes []string
	// DisableError explains why TOTP was not turned off.
	DisableError string
	// MustSetUp is true when the workspace requires a second factor the member lacks: the
	// page is all they may open until they set one up.
	MustSetUp bool
	// RequireSecondFactor is the workspace setting; admins may change it here.
	RequireSecondFactor bool
}

// TOTPSetupPage shows a new TOTP secret as a QR code and as text, with the form that
// confirms it with a first code.
type TOTPSetupPage struct {
	WSPage
	// QR is the otpauth:// URI as an SVG image (a data: URL).
	QR string
	// Secret is the base32 secret, grouped by four for typing.
	Secret string
	Error  string
}

// TOTPPromptPage asks a half-signed-in member for their authenticator's code (or a
// recovery code).
type TOTPPromptPage struct {
	Page
	CSRF  string
	Error string
}

// AuditPage is /w/audit: the workspace's audit log for its admins.
type AuditPage struct {
	WSPage
	Events []AuditRow
	// First is the newest page; Next links the older events, "" on the last page.
	First bool
	Next  string
	// Path is the log's address: /w/audit for a workspace's, /ops/audit for the operator's;
	// HeadingKey and LeadKey name its heading and lead.
	Path       string
	HeadingKey string
	LeadKey    string
}

// AuditRow is one event as the log shows it.
type AuditRow struct {
	// At is the machine-readable time (RFC 3339, for <time>); When the reader's.
	At      string
	When    string
	Actor   string
	Action  string
	Code    string
	Target  string
	Address string
	// Failure marks a failed sign-in, Security a change to how someone signs in.
	Failure  bool
	Security bool
}
