package analysis

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
	"time"

	"bedarf/survey"
)

func csvRecords(t *testing.T, data []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		t.Fatal("no UTF-8 byte order mark")
	}
	r := csv.NewReader(bytes.NewReader(data[3:]))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestCSVFormat: BOM, ";", CRLF, decimal comma, one 0/1 column per option,
// German dates, every response in order with its status, and every value
// the one of the workbook's answers table.
func TestCSVFormat(t *testing.T) {
	ds := wbDemoDataset(t, 1)
	var buf bytes.Buffer
	if err := WriteCSV(&buf, ds); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if !bytes.HasSuffix(data, []byte("\r\n")) || bytes.Count(data, []byte("\n")) != bytes.Count(data, []byte("\r\n")) {
		t.Error("lines must end with CRLF")
	}
	recs := csvRecords(t, data)
	if len(recs) != 1+len(ds.Responses) {
		t.Fatalf("%d records, want %d", len(recs), 1+len(ds.Responses))
	}
	cols := AnswerColumns(ds.Questionnaire)
	if len(recs[0]) != 3+len(cols) || recs[0][0] != "AGS" || recs[0][2] != "Status" {
		t.Fatalf("header %q", recs[0][:3])
	}
	header := map[string]int{}
	for i, h := range recs[0] {
		header[h] = i
	}
	for _, h := range []string{"Bevorzugte Zeiten: vormittags", "Bevorzugte Zeiten: abends", "Besetzte Stellen",
		"Wie viele Fachkräfte möchten an den folgenden Modulen teilnehmen?: Umgang mit Traumatisierungen"} {
		if _, ok := header[h]; !ok {
			t.Errorf("no column %q", h)
		}
	}
	i := 0
	decimals := 0
	err := ds.Each(func(r survey.Response, a survey.Answers) error {
		i++
		rec := recs[i]
		if rec[0] != r.Kommune.AGS || rec[1] != r.Kommune.Name || rec[2] != r.Status.Label() {
			t.Errorf("record %d: %q, want %s %s %s", i, rec[:3], r.Kommune.AGS, r.Kommune.Name, r.Status.Label())
		}
		for j, c := range cols {
			want := ""
			switch v := c.CellValue(a).(type) {
			case float64:
				want = strings.ReplaceAll(strconv.FormatFloat(v, 'f', -1, 64), ".", ",")
				if strings.Contains(want, ",") {
					decimals++
				}
			case time.Time:
				want = v.Format("02.01.2006")
			case string:
				want = v
				if v != "" && strings.ContainsAny(v[:1], "=+-@\t\r") {
					want = "'" + v
				}
			}
			if rec[3+j] != want {
				t.Errorf("%s, %s: %q, want %q", r.Kommune.Name, c.Header, rec[3+j], want)
			}
			if c.Q.Type == survey.MultipleChoice && rec[3+j] != "" && rec[3+j] != "0" && rec[3+j] != "1" {
				t.Errorf("%s, %s: option %q, want 0 or 1", r.Kommune.Name, c.Header, rec[3+j])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if decimals == 0 {
		t.Error("no decimal number in the test data")
	}
	if !bytes.Contains(data, []byte(";9,5;")) && !bytes.Contains(data, []byte(",5;")) {
		t.Error("no decimal comma in the file")
	}
}

// TestCSVOmitPersonal leaves the contact person out.
func TestCSVOmitPersonal(t *testing.T) {
	ds := wbDemoDataset(t, 1)
	ds.OmitPersonal = true
	var buf bytes.Buffer
	if err := WriteCSV(&buf, ds); err != nil {
		t.Fatal(err)
	}
	recs := csvRecords(t, buf.Bytes())
	for _, h := range recs[0] {
		if q := ds.Questionnaire.Question(h); h == "Name" || h == "E-Mail-Adresse" || q != nil && q.Personal {
			t.Errorf("personal column %q", h)
		}
	}
	if strings.Contains(buf.String(), "Erika Mustermann") {
		t.Error("a contact name is in the file")
	}
}

// TestCSVWriter: the one CSV writer starts with a byte order mark, puts ";"
// between fields, quotes only what needs it (doubling quotes inside),
// keeps a CR inside a field as typed and ends lines with CRLF.
func TestCSVWriter(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fields []string
		want   string
	}{
		{"plain", []string{"AGS", "Kommune", ""}, "AGS;Kommune;\r\n"},
		{"separator", []string{"a;b", "c"}, "\"a;b\";c\r\n"},
		{"quote", []string{`sagt "ja"`}, "\"sagt \"\"ja\"\"\"\r\n"},
		{"line break and CR", []string{"a\nb", "c\rd"}, "\"a\nb\";\"c\rd\"\r\n"},
		{"edge spaces", []string{" a", "b ", "c d"}, "\" a\";\"b \";c d\r\n"},
		{"umlaut", []string{"Lüneburg"}, "Lüneburg\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			cw := NewCSVWriter(&b)
			cw.Write(tc.fields)
			if err := cw.Flush(); err != nil {
				t.Fatal(err)
			}
			if got := b.String(); got != "\ufeff"+tc.want {
				t.Errorf("got %q, want %q", got, "\ufeff"+tc.want)
			}
		})
	}
}
