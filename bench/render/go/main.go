// Command render-bench-go renders bench/render's workloads with Go's text/template and sprig,
// parse + execute per iteration as the original engine does. The C++ peer is
// bench/render/render_bench.cc; run.sh runs both and writes one CSV.
//
// Usage: render-bench-go WORKLOADS DATA ITERATIONS
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"text/template"
	"time"

	"github.com/Masterminds/sprig"
)

type workload struct {
	Name     string `json:"name"`
	Template string `json:"template"`
}

func main() {
	var ws []workload
	wb, _ := os.ReadFile(os.Args[1])
	if err := json.Unmarshal(wb, &ws); err != nil {
		panic(err)
	}
	db, _ := os.ReadFile(os.Args[2])
	dec := json.NewDecoder(bytes.NewReader(db))
	dec.UseNumber()
	var data interface{}
	if err := dec.Decode(&data); err != nil {
		panic(err)
	}
	n, _ := strconv.Atoi(os.Args[3])
	funcs := sprig.GenericFuncMap()
	for _, w := range ws {
		run := func(iters int) {
			for i := 0; i < iters; i++ {
				t, err := template.New("tmpl").Funcs(funcs).Parse(w.Template)
				if err != nil {
					panic(err)
				}
				var b bytes.Buffer
				if err := t.Execute(&b, data); err != nil {
					panic(err)
				}
			}
		}
		run(n / 10) // warm-up
		best := 0.0
		for r := 0; r < 5; r++ {
			start := time.Now()
			run(n)
			s := time.Since(start).Seconds()
			if best == 0 || s < best {
				best = s
			}
		}
		fmt.Printf("%s,go,%d,%.6f,%.0f\n", w.Name, n, best, float64(n)/best)
	}
}
