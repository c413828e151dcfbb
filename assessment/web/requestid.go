package web

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"log/slog"

	"github.com/labstack/echo/v4"
)

// A request ID ties together every log line of one request, and the X-Request-ID response
// header gives it to whoever reports a problem, so an operator can find those lines.

// requestIDKey is the context key of the request ID.
type requestIDKey struct{}

// requestIDOf returns the ID of the request ctx belongs to, or "".
func requestIDOf(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// newRequestID returns 128 random bits in hex: the format of nginx's $request_id, so IDs
// look alike whether the proxy or this program made them.
func newRequestID() string {
	var b [16]byte
	crand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// wellFormedRequestID reports whether a request ID sent by a proxy can be kept: 8 to 128
// letters, digits, '-', '_' or '.', which covers hex IDs and UUIDs and lets nothing into a log
// line or header that could be taken for more than an ID.
func wellFormedRequestID(id string) bool {
	if len(id) < 8 || len(id) > 128 {
		return false
	}
	for _, r := range id {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '-', r == '_', r == '.':
		default:
			return false
		}
	}
	return true
}

// requestID gives every request an ID: the one a trusted proxy sent in X-Request-ID, if it is
// well formed, so that the proxy's log and this one agree; otherwise a new one (a client
// could otherwise choose the ID of another request's log lines). The ID goes into the
// request's context, where the logger finds it, and into the response's X-Request-ID.
func (s *Server) requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		id := req.Header.Get(echo.HeaderXRequestID)
		if !s.trustProxy || !wellFormedRequestID(id) {
			id = newRequestID()
		}
		c.SetRequest(req.WithContext(context.WithValue(req.Context(), requestIDKey{}, id)))
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

// requestIDHandler adds the request_id attribute to every record logged with the context of
// a request, so that a handler's log line needs nothing but its request's context
// (s.log.ErrorContext(ctx, …)) to carry the ID.
type requestIDHandler struct{ slog.Handler }

// Handle adds the ID of the record's request, if any.
func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := requestIDOf(ctx); id != "" {
		r = r.Clone()
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs keeps the request ID on a logger made by With.
func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as)}
}

// WithGroup keeps the request ID on a logger made by WithGroup.
func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}
