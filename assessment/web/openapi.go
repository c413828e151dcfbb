package web

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"github.com/goccy/go-yaml"
	"github.com/labstack/echo/v4"
)

// OpenAPIYAML is the OpenAPI 3.1 description of /api/v1 (openapi.yaml, written to be read in
// the repository). The server serves it as JSON at GET /api/v1/openapi.json, every API test
// validates its requests and responses against it (openapi_test.go), and CI lints it.
//
//go:embed openapi.yaml
var OpenAPIYAML []byte

// openAPIJSON is OpenAPIYAML as JSON, converted once: the keys in the file's order.
var openAPIJSON = sync.OnceValues(func() ([]byte, error) {
	j, err := yaml.YAMLToJSON(OpenAPIYAML)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	var out bytes.Buffer
	if err := json.Compact(&out, j); err != nil {
		return nil, fmt.Errorf("openapi.yaml as JSON: %w", err)
	}
	return out.Bytes(), nil
})

// apiOpenAPI serves the description of the API.
func (s *Server) apiOpenAPI(c echo.Context) error {
	doc, err := openAPIJSON()
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, doc)
}
