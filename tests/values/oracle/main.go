// Command values-oracle renders templates with Go's text/template and sprig, registering
// µTask's own functions the way the original engine does. It is the reference the C++
// renderer is compared against (tests/values/differential_test.cc).
//
// Protocol (same as `utask render --batch`): one JSON object per input line,
// {"template": "...", "data": {...}} (optional "name", default "tmpl"); one JSON object per
// output line, {"output": "..."} or {"error": "..."}. Data is decoded with json.Number, as the
// engine decodes stored data. `eval`/`evalCache` know no variables here.
//
// Build offline: GOPATH=/usr/share/gocode GO111MODULE=off go build -o values-oracle main.go
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"github.com/google/uuid"
)

type request struct {
	Template string          `json:"template"`
	Name     string          `json:"name"`
	Data     json.RawMessage `json:"data"`
}

var zero reflect.Value

func fieldFn(i interface{}, keys []string) reflect.Value {
	var ok bool
	for _, k := range keys {
		switch m := i.(type) {
		case map[string]interface{}:
			i, ok = m[k]
			if !ok {
				return zero
			}
		case map[string]string:
			i, ok = m[k]
			if !ok {
				return zero
			}
		default:
			return zero
		}
	}
	return reflect.ValueOf(i)
}

func fieldFromTmpl(params ...interface{}) (reflect.Value, error) {
	if len(params) < 2 {
		return zero, errors.New("invalid number of parameters given")
	}
	i, ok := params[len(params)-1].(map[string]interface{})
	if !ok {
		return zero, errors.New("unable to cast given data to a map[string]")
	}
	keys := []string{}
	for j := 0; j < len(params)-1; j++ {
		item, ok := params[j].(string)
		if !ok {
			return zero, errors.New("foo")
		}
		keys = append(keys, item)
	}
	return fieldFn(i, keys), nil
}

func mustFromJSON(s string) (reflect.Value, error) {
	var output interface{}
	err := json.Unmarshal([]byte(s), &output)
	return reflect.ValueOf(output), err
}

func fromJSON(s string) (reflect.Value, error) {
	output, _ := mustFromJSON(s)
	return output, nil
}

func jsonMarshal(i interface{}) (interface{}, error) {
	b := new(bytes.Buffer)
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(i); err != nil {
		return nil, err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

func varEval(name string) (interface{}, error) {
	return nil, fmt.Errorf("Var name not found in template: '%s'", name)
}

func funcMap(data map[string]interface{}) template.FuncMap {
	m := sprig.GenericFuncMap()
	m["field"] = func(key ...string) reflect.Value { return fieldFn(data, key) }
	m["fieldFrom"] = fieldFromTmpl
	m["eval"] = varEval
	m["evalCache"] = varEval
	m["fromJson"] = fromJSON
	m["mustFromJson"] = mustFromJSON
	m["uuid"] = func() (uuid.UUID, error) { return uuid.NewRandom() }
	m["b64RawEnc"] = func(s string) string { return base64.RawStdEncoding.EncodeToString([]byte(s)) }
	m["b64RawDec"] = func(s string) string {
		d, err := base64.RawStdEncoding.DecodeString(s)
		if err != nil {
			return err.Error()
		}
		return string(d)
	}
	m["jsonmarshal"] = jsonMarshal
	return template.FuncMap(m)
}

func render(req *request) (string, error) {
	var data interface{}
	if len(req.Data) > 0 {
		dec := json.NewDecoder(bytes.NewReader(req.Data))
		dec.UseNumber()
		if err := dec.Decode(&data); err != nil {
			return "", err
		}
	}
	root, _ := data.(map[string]interface{})
	name := req.Name
	if name == "" {
		name = "tmpl"
	}
	tmpl, err := template.New(name).Funcs(funcMap(root)).Parse(req.Template)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, data); err != nil {
		return "", err
	}
	return b.String(), nil
}

func main() {
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for {
		line, err := in.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var req request
			if jerr := json.Unmarshal(line, &req); jerr != nil {
				enc.Encode(map[string]string{"error": "bad request: " + jerr.Error()})
			} else if s, rerr := render(&req); rerr != nil {
				enc.Encode(map[string]string{"error": rerr.Error()})
			} else {
				enc.Encode(map[string]string{"output": s})
			}
		}
		if err != nil {
			break
		}
	}
}
