package analysis

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// typicalBundle is a realistic function: a handler and two helper modules,
// about 300 lines in all, with SDK calls, requests, logging and secrets.
func typicalBundle() map[string][]byte {
	var handler, io, transform strings.Builder
	handler.WriteString(`import logging

import requests

from helpers.cdf_io import read_rows, write_rows
from helpers.transform import normalise

log = logging.getLogger(__name__)
API = "https://api.vendor.example/v2/alerts"


def fetch(key, since):
    resp = requests.get(API, headers={"Authorization": f"Bearer {key}"}, params={"since": since}, timeout=30)
    resp.raise_for_status()
    return resp.json()["alerts"]


def handle(client, data, secrets):
    alerts = fetch(secrets["vendor-key"], int(data.get("since", 0)))
    rows = read_rows(client, data.get("db", "staging"), data.get("table", "raw"))
    clean = [normalise(r) for r in rows]
    write_rows(client, "clean", "rows", clean)
    log.info("alerts=%d rows=%d", len(alerts), len(clean))
    return {"alerts": len(alerts), "rows": len(clean)}
`)
	for i := 0; i < 14; i++ {
		fmt.Fprintf(&handler, "\n\ndef check_%d(values, limit=%d):\n    over = [v for v in values if v > limit]\n    return len(over), max(values or [0])\n", i, i*10)
	}
	io.WriteString("from cognite.client.data_classes import Row\n\n\ndef read_rows(client, db, table):\n    return [r.columns for r in client.raw.rows.list(db, table, limit=-1)]\n\n\ndef write_rows(client, db, table, rows):\n    client.raw.rows.insert(db, table, {str(i): r for i, r in enumerate(rows)}, ensure_parent=True)\n")
	for i := 0; i < 15; i++ {
		fmt.Fprintf(&io, "\n\ndef series_%d(client):\n    dps = client.time_series.data.retrieve(external_id=\"ts-%d\", start=\"1d-ago\", end=\"now\")\n    client.time_series.data.insert(list(zip(dps.timestamp, dps.value)), external_id=\"ts-%d:copy\")\n    return len(dps)\n", i, i, i)
	}
	transform.WriteString("UNITS = {\"kPa\": 0.01, \"bar\": 1.0}\n\n\ndef normalise(row):\n    out = dict(row)\n    out[\"pressure_bar\"] = float(row.get(\"pressure\", 0)) * UNITS.get(row.get(\"unit\", \"bar\"), 1.0)\n    return out\n")
	for i := 0; i < 15; i++ {
		fmt.Fprintf(&transform, "\n\ndef rule_%d(row):\n    if row.get(\"status\") == \"S%d\":\n        return {**row, \"flag\": %d}\n    return row\n", i, i, i)
	}
	return map[string][]byte{
		"handler.py":           []byte(handler.String()),
		"helpers/__init__.py":  nil,
		"helpers/cdf_io.py":    []byte(io.String()),
		"helpers/transform.py": []byte(transform.String()),
		"requirements.txt":     []byte("cognite-sdk==7.63.1\nrequests==2.32.3\n"),
	}
}

// largeBundle is a generated bundle of about 5,000 lines over 10 modules.
func largeBundle() map[string][]byte {
	fs := map[string][]byte{}
	var h strings.Builder
	h.WriteString("import logging\n")
	for m := 0; m < 10; m++ {
		fmt.Fprintf(&h, "from mod%d import entry_%d\n", m, m)
	}
	h.WriteString("\n\ndef handle(client, data, secrets):\n    total = 0\n")
	for m := 0; m < 10; m++ {
		fmt.Fprintf(&h, "    total += entry_%d(client, data)\n", m)
	}
	h.WriteString("    logging.info(\"total %d\", total)\n    return {\"total\": total}\n")
	fs["handler.py"] = []byte(h.String())
	for m := 0; m < 10; m++ {
		var b strings.Builder
		fmt.Fprintf(&b, "import requests\n\n\ndef entry_%d(client, data):\n    n = 0\n", m)
		for f := 0; f < 70; f++ {
			fmt.Fprintf(&b, "    n += f%d_%d(client, data)\n", m, f)
		}
		b.WriteString("    return n\n")
		for f := 0; f < 70; f++ {
			fmt.Fprintf(&b, "\n\ndef f%d_%d(client, data):\n    rows = client.raw.rows.list(\"db%d\", \"t%d\", limit=100)\n    keys = [r.key for r in rows if r.columns.get(\"v\", 0) > %d]\n    return len(keys)\n", m, f, m, f, f)
		}
		fs[fmt.Sprintf("mod%d.py", m)] = []byte(b.String())
	}
	return fs
}

func lines(fs map[string][]byte) int {
	n := 0
	for _, d := range fs {
		n += strings.Count(string(d), "\n")
	}
	return n
}

func benchmarkAnalyze(b *testing.B, fs map[string][]byte) {
	in := Input{Files: fs, FunctionJSON: []byte(`{"name":"bench","externalId":"bench","owner":"a@acme.com","secrets":{"vendor-key":"***"}}`)}
	if _, err := Analyze(context.Background(), in); err != nil {
		b.Fatal(err)
	}
	size := 0
	for _, d := range fs {
		size += len(d)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Analyze(context.Background(), in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnalyze measures one whole analysis (target: typical < 2 ms,
// 5,000 lines < 50 ms).
func BenchmarkAnalyze(b *testing.B) {
	b.Run("typical", func(b *testing.B) { benchmarkAnalyze(b, typicalBundle()) })
	b.Run("5000-lines", func(b *testing.B) { benchmarkAnalyze(b, largeBundle()) })
}

// TestBenchBundlesParse keeps the benchmark inputs honest: they parse, have
// a handle, and are the sizes the benchmark names.
func TestBenchBundlesParse(t *testing.T) {
	for name, fs := range map[string]map[string][]byte{"typical": typicalBundle(), "large": largeBundle()} {
		rep, err := Analyze(context.Background(), Input{Files: fs})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Incomplete) != 0 {
			t.Errorf("%s: incomplete %+v", name, rep.Incomplete)
		}
		n := lines(fs)
		if (name == "typical" && (n < 200 || n > 300)) || (name == "large" && (n < 4500 || n > 5500)) {
			t.Errorf("%s bundle has %d lines", name, n)
		}
	}
}
