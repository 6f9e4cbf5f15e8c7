// The original's JavaScript interpreter (otto), as µTask used it for template variables:
// reads JSON lines {"program": "..."} on stdin and writes one JSON line per program,
// {"output": "<String() of the completion value>"} or {"error": "<error text>"}.
// Built offline from Debian's packages: GOPATH=/usr/share/gocode GO111MODULE=off go build.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"github.com/robertkrimen/otto"
)

type request struct {
	Program string `json:"program"`
}

type response struct {
	Output *string `json:"output,omitempty"`
	Error  *string `json:"error,omitempty"`
}

func run(program string) (out response) {
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprintf("Recovered from unsafe JS eval: %v", r)
			out = response{Error: &msg}
		}
	}()
	vm := otto.New()
	v, err := vm.Run(program)
	if err != nil {
		msg := err.Error()
		return response{Error: &msg}
	}
	s := v.String()
	return response{Output: &s}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 16<<20)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			fmt.Fprintln(os.Stderr, "bad request:", err)
			os.Exit(2)
		}
		enc.Encode(run(req.Program))
	}
}
