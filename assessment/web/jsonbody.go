package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
)

// This file reads JSON request bodies strictly, as docs/api.md promises. encoding/json on its
// own matches keys case-insensitively ({"LANG": …} fills Lang) and lets the last of two equal
// keys win; a client with such a bug would never learn of it, and two parsers of the same body
// (a proxy, a log pipeline) could read different values. A pre-pass over the tokens refuses
// both before anything is decoded.

// decodeJSON reads a JSON body into v, rejecting invalid UTF-8, keys that are not byte-exact
// field names of v (at any depth), keys repeated in an object, and trailing data. The body is
// already bounded by the one body limit (limitBody), whose overrun readError turns into 413.
// Its error names what is wrong (EBADREQUEST, ETOOLARGE); handlers return it and the one error
// mapping answers 400 or 413.
func decodeJSON(c echo.Context, v any) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return readError(err)
	}
	if !utf8.Valid(body) {
		return badRequest(assessment.MsgJSONUTF8, nil)
	}
	if err := checkJSONKeys(body, reflect.TypeOf(v)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(err)
	}
	if dec.More() {
		return badRequest(assessment.MsgJSONTrailing, nil)
	}
	return nil
}

func badRequest(key string, args assessment.Args) error {
	return assessment.NewError(assessment.EBADREQUEST, key, args)
}

// jsonProblem turns a decoder error into one that names the field, without Go types.
func jsonProblem(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return badRequest(assessment.MsgJSONSyntax, assessment.Args{"Offset": strconv.FormatInt(syn.Offset, 10)})
	case errors.As(err, &typ):
		if typ.Field == "" {
			// The top level itself has the wrong type ([] or "x" instead of {...}).
			return badRequest(assessment.MsgJSONNotObject, assessment.Args{"Value": typ.Value})
		}
		return badRequest(assessment.MsgJSONType, assessment.Args{"Field": strconv.Quote(typ.Field), "Value": typ.Value})
	case errors.Is(err, io.EOF):
		return badRequest(assessment.MsgJSONEmpty, nil)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest(assessment.MsgJSONEOF, nil)
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return badRequest(assessment.MsgJSONUnknownField, assessment.Args{"Field": f})
	}
	return badRequest(assessment.MsgJSONMalformed, nil)
}

// maxJSONDepth stops the key check on absurdly nested bodies; encoding/json refuses them
// anyway (its limit is 10,000 levels).
const maxJSONDepth = 10_000

// keyProblem is a refusal of the key check, as opposed to a syntax error it met on the way,
// which it leaves to the decoder to report in its usual words.
type keyProblem struct{ err error }

func (k keyProblem) Error() string { return k.err.Error() }

// checkJSONKeys walks body against the Go type t it is about to be decoded into and returns
// the EBADREQUEST of the first key that is repeated in its object, or that is not byte-exact
// one of the JSON names of the struct it belongs to: MsgJSONKeyCase when it differs only in
// case, MsgJSONUnknownField when it names nothing. The key is named by its path from the
// top: "answers[3].as_is". A body that is not valid JSON passes, for decoding to report.
func checkJSONKeys(body []byte, t reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var kp keyProblem
	if err := walkJSON(dec, t, "", 0); errors.As(err, &kp) {
		return kp.err
	}
	return nil
}

// walkJSON reads one value from dec. t is the type it will be decoded into; nil (or a type
// that does not take an object, such as a map or any) means its keys are not checked against
// names, only for repetition.
func walkJSON(dec *json.Decoder, t reflect.Type, path string, depth int) error {
	if depth > maxJSONDepth {
		return errors.New("too deep")
	}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return nil // a scalar
	}
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if delim == '[' {
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; dec.More(); i++ {
			if err := walkJSON(dec, elem, path+"["+strconv.Itoa(i)+"]", depth+1); err != nil {
				return err
			}
		}
		_, err := dec.Token() // ]
		return err
	}
	// An object.
	var fields map[string]reflect.Type
	var elem reflect.Type
	if t != nil {
		switch t.Kind() {
		case reflect.Struct:
			fields = jsonFields(t)
		case reflect.Map:
			elem = t.Elem()
		}
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		kpath := key
		if path != "" {
			kpath = path + "." + key
		}
		if seen[key] {
			return keyProblem{badRequest(assessment.MsgJSONDuplicate, assessment.Args{"Field": strconv.Quote(kpath)})}
		}
		seen[key] = true
		ft := elem
		if fields != nil {
			var ok bool
			if ft, ok = fields[key]; !ok {
				for name := range fields {
					if strings.EqualFold(name, key) {
						return keyProblem{badRequest(assessment.MsgJSONKeyCase, assessment.Args{"Field": strconv.Quote(kpath), "Want": strconv.Quote(name)})}
					}
				}
				return keyProblem{badRequest(assessment.MsgJSONUnknownField, assessment.Args{"Field": strconv.Quote(kpath)})}
			}
		}
		if err := walkJSON(dec, ft, kpath, depth+1); err != nil {
			return err
		}
	}
	_, err = dec.Token() // }
	return err
}

// fieldCache holds jsonFields by struct type.
var fieldCache sync.Map // reflect.Type → map[string]reflect.Type

// jsonFields returns the JSON names of struct type t's fields and their types, as
// encoding/json sees them: the tag's name or else the field's, exported fields only, "-"
// left out, and the fields of embedded structs without a tag name as if they were t's own.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			et := ft
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				for k, v := range jsonFields(et) {
					if _, own := m[k]; !own {
						m[k] = v
					}
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = ft
	}
	fieldCache.Store(t, m)
	return m
}
