package secrets

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// fake builds deterministic random strings: realistic-looking values that
// are not anybody's key.
type fake struct{ r *rand.Rand }

func newFake(seed uint64) *fake { return &fake{rand.New(rand.NewPCG(seed, 7))} }

const (
	alnum  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	upper  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	b32    = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	hexlc  = "0123456789abcdef"
	b64    = alnum + "+/"
	urlb64 = alnum + "-_"
	letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	digits = "0123456789"
)

func (f *fake) s(charset string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = charset[f.r.IntN(len(charset))]
	}
	return string(b)
}

type tcase struct {
	rule  string // expected rule id; "" = nothing expected
	name  string // bound name ("" → ScanValue)
	value string
}

func cases() (tps, fps []tcase) {
	f := newFake(1)
	uuid := func() string {
		return f.s(hexlc, 8) + "-" + f.s(hexlc, 4) + "-4" + f.s(hexlc, 3) + "-a" + f.s(hexlc, 3) + "-" + f.s(hexlc, 12)
	}
	entra := f.s(alnum, 3) + "8Q~" + f.s(alnum+"_~.-", 34)
	aws := "AKIA" + f.s(b32, 16)
	tps = []tcase{
		{"azure-ad-client-secret", "", entra},
		{"azure-ad-client-secret", "", `client_secret="` + entra + `"`},
		{"azure-ad-client-secret", "OAuthClientCredentials.client_secret", f.s(alnum, 3) + "7Q~" + f.s(alnum+"_~.", 34)},
		{"cdf-client-secret", "OAuthClientCredentials.client_secret", f.s(alnum, 40)},
		{"cdf-client-secret", "COGNITE_CLIENT_SECRET", f.s(alnum, 24)},
		{"cognite-api-key", "CogniteClient.api_key", f.s(b64, 48)},
		{"cognite-api-key", "COGNITE_API_KEY", f.s(b64, 48)},
		{"aws-access-token", "", aws},
		{"aws-access-token", "", `AWS_ACCESS_KEY_ID=` + "ASIA" + f.s(b32, 16)},
		{"aws-secret-access-key", "aws_secret_access_key", f.s(b64, 40)},
		{"aws-secret-access-key", "AWS_SECRET_ACCESS_KEY", f.s(b64, 40)},
		{"aws-secret-access-key-assignment", "", "aws_secret_access_key = " + f.s(b64, 40)},
		{"gcp-api-key", "", "AIza" + f.s(urlb64, 35)},
		{"gcp-service-account-key", "", `{"type": "service_account", "project_id": "p", "private_key_id": "` + f.s(hexlc, 40) + `"}`},
		{"azure-storage-account-key", "", "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" + f.s(b64, 86) + "==;EndpointSuffix=core.windows.net"},
		{"azure-shared-access-key", "", "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=" + f.s(b64, 43) + "="},
		{"azure-sas-token", "", "https://acme.blob.core.windows.net/c/f.csv?sv=2022-11-02&sp=r&sig=" + f.s(alnum, 44) + "%3D"},
		{"databricks-api-token", "", "dapi" + f.s(hexlc, 32)},
		{"private-key", "", "-----BEGIN RSA PRIVATE KEY-----\n" + f.s(b64, 64) + "\n" + f.s(b64, 64) + "\n-----END RSA PRIVATE KEY-----\n"},
		{"private-key", "", "-----BEGIN OPENSSH PRIVATE KEY-----\\n" + f.s(b64, 70) + "\\n-----END OPENSSH PRIVATE KEY-----"},
		{"jwt", "", "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJ" + f.s(urlb64, 60) + "." + f.s(urlb64, 43)},
		{"github-pat", "", "ghp_" + f.s(alnum, 36)},
		{"github-fine-grained-pat", "", "github_pat_" + f.s(alnum+"_", 82)},
		{"github-oauth", "", "gho_" + f.s(alnum, 36)},
		{"github-app-token", "", "ghs_" + f.s(alnum, 36)},
		{"github-app-token", "", "ghu_" + f.s(alnum, 36)},
		{"github-refresh-token", "", "ghr_" + f.s(alnum, 76)},
		{"gitlab-pat", "", "glpat-" + f.s(alnum+"_-", 20)},
		{"gitlab-ptt", "", "glptt-" + f.s(hexlc, 40)},
		{"gitlab-rrt", "", "GR1348941" + f.s(alnum, 20)},
		{"gitlab-runner-authentication-token", "", "glrt-" + f.s(alnum, 20)},
		{"pypi-upload-token", "", "pypi-AgEIcHlwaS5vcmc" + f.s(urlb64, 70)},
		{"npm-access-token", "", "//registry.npmjs.org/:_authToken=npm_" + f.s(alnum, 36)},
		{"slack-bot-token", "", "xoxb-" + f.s(digits, 12) + "-" + f.s(digits, 13) + "-" + f.s(alnum, 24)},
		{"slack-user-token", "", "xoxp-" + f.s(digits, 12) + "-" + f.s(digits, 12) + "-" + f.s(digits, 13) + "-" + f.s(hexlc, 32)},
		{"slack-app-token", "", "xapp-1-A" + f.s(upper+digits, 9) + "-" + f.s(digits, 13) + "-" + f.s(hexlc, 64)},
		{"slack-webhook-url", "", "https://hooks.slack.com/services/T" + f.s(upper+digits, 8) + "/B" + f.s(upper+digits, 10) + "/" + f.s(alnum, 24)},
		{"microsoft-teams-webhook", "", "https://acme.webhook.office.com/webhookb2/" + uuid() + "@" + uuid() + "/IncomingWebhook/" + f.s(hexlc, 32) + "/" + uuid()},
		{"azure-logic-app-trigger-url", "", "https://prod-27.westeurope.logic.azure.com:443/workflows/" + f.s(hexlc, 32) + "/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=" + f.s(urlb64, 43)},
		{"discord-webhook-url", "", "https://discord.com/api/webhooks/" + f.s(digits, 19) + "/" + f.s(urlb64, 68)},
		{"discord-bot-token", "", "MT" + f.s(alnum, 24) + "." + f.s(urlb64, 6) + "." + f.s(urlb64, 38)},
		{"telegram-bot-api-token", "", "https://api.telegram.org/bot" + f.s(digits, 10) + ":AA" + f.s(urlb64, 33) + "/sendMessage"},
		{"stripe-access-token", "", "sk_live_" + f.s(alnum, 24)},
		{"stripe-access-token", "", "rk_test_" + f.s(alnum, 99)},
		{"twilio-api-key", "", "SK" + f.s(hexlc, 32)},
		{"sendgrid-api-token", "", "SG." + f.s(urlb64, 22) + "." + f.s(urlb64, 43)},
		{"openai-api-key", "", "sk-proj-" + f.s(urlb64, 74) + "T3BlbkFJ" + f.s(urlb64, 74)},
		{"openai-api-key", "", "sk-" + f.s(alnum, 20) + "T3BlbkFJ" + f.s(alnum, 20)},
		{"anthropic-api-key", "", "sk-ant-api03-" + f.s(urlb64, 93) + "AA"},
		{"huggingface-access-token", "", "hf_" + f.s(letter, 34)},
		{"datadog-api-key", "DD_API_KEY", f.s(hexlc, 32)},
		{"datadog-api-key", "datadog_app_key", f.s(hexlc, 40)},
		{"sentry-token", "", "sntryu_" + f.s(hexlc, 64)},
		{"mixpanel-project-token", "mixpanel.Mixpanel", f.s(hexlc, 32)},
		{"mixpanel-project-token", "MIXPANEL_TOKEN", f.s(hexlc, 32)},
		{"amplitude-api-key", "amplitude.Amplitude", f.s(hexlc, 32)},
		{"segment-write-key", "analytics.write_key", f.s(alnum, 32)},
		{"posthog-project-key", "", "phc_" + f.s(alnum, 43)},
		{"url-with-password", "", "postgresql://svc_reader:" + f.s(alnum, 16) + "@db.acme.internal:5432/prod"},
		{"url-with-password", "", "mongodb+srv://admin:S3cr1t-2024@cluster0.example.net"},
		{"connection-string-password", "", "Server=tcp:acme.database.windows.net,1433;Database=prod;User ID=svc;Password=" + f.s(alnum, 14) + ";Encrypt=True"},
		{"generic-secret", "password", "Tr0ub4dor&3-x9!"},
		{"generic-secret", "db_password", f.s(alnum, 20)},
		{"generic-secret", "API_KEY", f.s(alnum, 32)},
		{"generic-secret", "apiKey", f.s(alnum, 32)},
		{"generic-secret", "requests.post.auth_token", f.s(alnum, 32)},
		{"generic-secret", "client-secret", f.s(alnum, 32)},
		{"generic-secret", "SIGNING_KEY", f.s(b64, 44)},
		{"generic-secret", "api_key", uuid()},
		{"generic-secret", "pwd", "k8#Lm2$q"},
		{"generic-secret", "Authorization", "Bearer " + f.s(alnum, 40)},
	}
	fps = []tcase{
		{"", "", "AKIAIOSFODNN7EXAMPLE"},
		{"", "", "xghp_" + f.s(alnum, 36)}, // starts inside a word
		{"", "", "ghp_" + f.s(alnum, 37)},  // too long for the format
		{"", "", "AKIA" + strings.Repeat("X", 16)},
		{"", "", "ghp_" + strings.Repeat("x", 36)},
		{"", "", "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"},
		{"", "", "sk_live_" + strings.Repeat("0", 24)},
		{"", "", "postgresql://user:password@localhost/db"},
		{"", "", "postgresql://user:${DB_PASSWORD}@db/prod"},
		{"", "", "https://user:{}@host/x"},
		{"", "", "https://api.cognitedata.com/api/v1/projects/acme"},
		{"", "", "git@github.com:acme/repo.git"},
		{"", "", "-----BEGIN PUBLIC KEY-----\n" + f.s(b64, 64) + "\n-----END PUBLIC KEY-----"},
		{"", "", "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----"},
		{"", "", "The quick brown fox jumps over the lazy dog 1234567890"},
		{"", "", f.s(alnum, 40)}, // random, but no name says what it is
		{"", "", uuid()},
		{"", "", "sha256:" + f.s(hexlc, 64)},
		{"", "password", "hunter2hunter2"},
		{"", "password", "changeme123"},
		{"", "password", "<your-password>"},
		{"", "password", "${DB_PASSWORD}"},
		{"", "password", "{{ secrets.db }}"},
		{"", "password", "********"},
		{"", "password", "your_api_key_here"},
		{"", "password", "test1234!test"},
		{"", "password", "REPLACE_ME_1234"},
		{"", "password", "12345678901"},
		{"", "password", "abababababab"},
		{"", "api_key", "dummy-key-00000000"},
		{"", "api_key", "API_KEY_NAME"},
		{"", "api_key", "xxxxxxxxxxxxxxxxxxxx"},
		{"", "token_url", "https://login.microsoftonline.com/" + uuid() + "/oauth2/v2.0/token"},
		{"", "TOKEN_URL", "https://login.microsoftonline.com/acme/oauth2/v2.0/token"},
		{"", "client_id", uuid()},
		{"", "tenant_id", uuid()},
		{"", "key_id", f.s(alnum, 32)},
		{"", "public_key", f.s(b64, 64)},
		{"", "api_version", "2023-11-01-preview"},
		{"", "password_hash", f.s(hexlc, 64)},
		{"", "checksum", f.s(hexlc, 64)},
		{"", "cdf-toolkit-secret-hash", f.s(hexlc, 128)},
		{"", "secret_name", "prod/db/creds-2"},
		{"", "max_tokens", "4096"},
		{"", "token", "Bearer {token}"},
		{"", "private_key_path", "/etc/keys/sa-2024.pem"},
		{"", "key_file", "./keys/service.json"},
		{"", "auth_header", "Authorization: Bearer %s"},
		{"", "author", "J. Doe 2024 <jd@acme.com>"},
		{"", "secret", "$SECRET_VALUE"},
		{"", "mixpanel_enabled", f.s(hexlc, 32)},
		{"", "segment_id", f.s(alnum, 32)},
		{"", "DD_API_KEY", "not-a-key"},
		{"", "CogniteClient.project", "acme-prod-2024"},
	}
	return tps, fps
}

func scan(d *Detector, c tcase) []Match {
	if c.name == "" {
		return d.ScanValue(c.value)
	}
	return d.ScanAssignment(c.name, c.value)
}

func TestTruePositives(t *testing.T) {
	d := Default()
	tps, _ := cases()
	for _, c := range tps {
		ms := scan(d, c)
		if len(ms) != 1 || ms[0].RuleID != c.rule {
			t.Errorf("%s: name %q value %q: got %v, want one %s", c.rule, c.name, Redact(c.value), ids(ms), c.rule)
			continue
		}
		m := ms[0]
		if c.value[m.Start:m.End] != m.Secret {
			t.Errorf("%s: range %d:%d does not hold the secret", c.rule, m.Start, m.End)
		}
	}
}

func TestFalsePositives(t *testing.T) {
	d := Default()
	_, fps := cases()
	for _, c := range fps {
		if ms := scan(d, c); len(ms) > 0 {
			t.Errorf("name %q value %q: got %v (%q), want nothing", c.name, c.value, ids(ms), ms[0].Secret)
		}
	}
}

func ids(ms []Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.RuleID)
	}
	return out
}

// TestEmbeddedRules loads rules.toml: every rule compiles, ids are unique,
// and every rule (and the generic rule) has a true positive above.
func TestEmbeddedRules(t *testing.T) {
	var f ruleFile
	if err := toml.Unmarshal(embeddedRules, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Rules) < 40 {
		t.Errorf("rules.toml has %d rules, want the whole list", len(f.Rules))
	}
	if _, err := load(embeddedRules); err != nil {
		t.Fatal(err)
	}
	tps, _ := cases()
	has := map[string]bool{}
	for _, c := range tps {
		has[c.rule] = true
	}
	seen := map[string]bool{}
	for _, r := range f.Rules {
		if seen[r.ID] {
			t.Errorf("duplicate id %q", r.ID)
		}
		seen[r.ID] = true
		if !has[r.ID] {
			t.Errorf("rule %q has no true positive in the tests", r.ID)
		}
		if r.Description == "" {
			t.Errorf("rule %q has no description", r.ID)
		}
		for _, k := range r.Keywords {
			if k != strings.ToLower(k) {
				t.Errorf("rule %q: keyword %q is not lower-case", r.ID, k)
			}
		}
	}
	if !has[genericRuleID] {
		t.Errorf("no true positive for %s", genericRuleID)
	}
}

func TestCritical(t *testing.T) {
	d := Default()
	for _, c := range []struct {
		v    string
		crit bool
	}{
		{"ghp_" + newFake(3).s(alnum, 36), false},
		{"AKIA" + newFake(4).s(b32, 16), true},
		{newFake(5).s(alnum, 3) + "8Q~" + newFake(6).s(alnum, 34), true},
	} {
		ms := d.ScanValue(c.v)
		if len(ms) != 1 || ms[0].Critical() != c.crit {
			t.Errorf("%s: %v critical=%v, want %v", Redact(c.v), ids(ms), len(ms) == 1 && ms[0].Critical(), c.crit)
		}
	}
}

func TestScanValuePositions(t *testing.T) {
	key := "ghp_" + newFake(9).s(alnum, 36)
	line := `headers = {"Authorization": "token ` + key + `"}  # and ` + key
	ms := Default().ScanValue(line)
	if len(ms) != 2 {
		t.Fatalf("got %d matches, want 2", len(ms))
	}
	for _, m := range ms {
		if line[m.Start:m.End] != key {
			t.Errorf("match %d:%d = %q, want the key", m.Start, m.End, line[m.Start:m.End])
		}
	}
}

// TestLongText checks that secrets are found anywhere in a long text
// (keyword windows), including a private key block spanning lines.
func TestLongText(t *testing.T) {
	f := newFake(21)
	filler := strings.Repeat("name = value_"+f.s(alnum, 20)+" # a line of config with task and risk\n", 2000)
	pat := "ghp_" + f.s(alnum, 36)
	pem := "-----BEGIN EC PRIVATE KEY-----\n" + f.s(b64, 64) + "\n" + f.s(b64, 64) + "\n-----END EC PRIVATE KEY-----"
	text := pat + "\n" + filler + "token: " + pat + "\n" + filler + pem + "\n" + filler + "x=" + pat
	var got []string
	for _, m := range Default().ScanValue(text) {
		if text[m.Start:m.End] != m.Secret {
			t.Errorf("%s: range does not hold the secret", m.RuleID)
		}
		got = append(got, m.RuleID)
	}
	want := "github-pat github-pat private-key github-pat"
	if strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
}

func TestIsSecretName(t *testing.T) {
	for name, want := range map[string]bool{
		"API_KEY": true, "apiKey": true, "APIKey": true, "client-secret": true, "clientSecret": true,
		"db_password": true, "DB_PASSWORD": true, "passwd": true, "pwd": true, "token": true,
		"access_token": true, "accessToken": true, "auth": true, "credentials": true,
		"private_key": true, "PRIVATE_KEY": true, "SECRET_KEY": true, "key": true, "dbpassword": true,
		"storage_account_key": true, "x-api-key": true, "githubToken": true,
		"token_url": false, "TOKEN_URL": false, "public_key": false, "key_id": false,
		"api_version": false, "password_hash": false, "secret_name": false, "max_tokens": false,
		"author": false, "client_id": false, "tenant_id": false, "cdf_project": false,
		"primary_key": false, "sort_key": false, "keyboard": false, "monkey": false,
		"csrf_token": false, "tokenizer": false, "": false, "data": false, "cluster": false,
	} {
		if got := IsSecretName(name); got != want {
			t.Errorf("IsSecretName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestIsPlaceholder(t *testing.T) {
	d := Default()
	for v, want := range map[string]bool{
		"": true, "***": true, "true": true, "8080": true, "${DB_PASSWORD}": true, "<password>": true,
		"changeme": true, "https://api.example.org/token": true, "/run/secrets/db": true, "None": true,
		"hunter2": false, "s3cr3t-Pa55": false, "PqTDyStuNwbfcsK6nWQvxtcf": false, "my db password": false,
	} {
		if got := d.IsPlaceholder(v); got != want {
			t.Errorf("IsPlaceholder(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"ghp_abcdef": "ghp_…", "abcd": "…", "ab": "…", "äöüßxyz": "äöüß…",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
	s := "sk_live_" + newFake(2).s(alnum, 24)
	got := RedactIn(`stripe.api_key = "`+s+`"`, s)
	if strings.Contains(got, s[5:]) || !strings.Contains(got, `"sk_l…"`) {
		t.Errorf("RedactIn left the secret: %s", got)
	}
}

func TestWithRules(t *testing.T) {
	d, err := Default().WithRules([]Rule{{
		ID: "acme-internal-token", Description: "ACME token", Regex: `\b(acme_[a-z0-9]{20})\b`, Keywords: []string{"acme_"},
	}}, []string{`^ghp_0000`})
	if err != nil {
		t.Fatal(err)
	}
	if ms := d.ScanValue("x = 'acme_" + newFake(8).s("abcdefghij0123456789", 20) + "'"); len(ms) != 1 || ms[0].RuleID != "acme-internal-token" {
		t.Errorf("extra rule: got %v", ids(ms))
	}
	if ms := d.ScanValue("ghp_0000" + newFake(8).s(alnum, 32)); len(ms) != 0 {
		t.Errorf("allowlist: got %v", ids(ms))
	}
	if ms := Default().ScanValue("ghp_0000" + newFake(8).s(alnum, 32)); len(ms) != 1 {
		t.Errorf("WithRules changed the default detector: %v", ids(ms))
	}
	for _, c := range []struct {
		rule Rule
		want string
	}{
		{Rule{ID: "bad-re", Regex: `(`}, `secret rule "bad-re": regex`},
		{Rule{ID: "no-re"}, `secret rule "no-re": missing regex`},
		{Rule{Regex: `x`}, `secret rule #1: missing id`},
		{Rule{ID: "github-pat", Regex: `x`}, `secret rule "github-pat": duplicate id`},
		{Rule{ID: "grp", Regex: `(a)`, SecretGroup: 2}, `secret rule "grp": secretGroup 2`},
		{Rule{ID: "ent", Regex: `a`, Entropy: 9}, `secret rule "ent": entropy`},
	} {
		_, err := Default().WithRules([]Rule{c.rule}, nil)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("WithRules(%+v) error = %v, want prefix %q", c.rule, err, c.want)
		}
	}
	if _, err := Default().WithRules(nil, []string{"("}); err == nil {
		t.Error("bad allowlist regex accepted")
	}
}

// TestHostileText: texts made of keywords, without lines, or not UTF-8
// are scanned in bounded time and without a panic (benchmarks measure the
// time; this checks the results stay sane).
func TestHostileText(t *testing.T) {
	d := Default()
	for name, text := range map[string]string{
		"keywords":    strings.Repeat("sk_live_ ://a:b@c eyJ q~ akia -----BEGIN PRIVATE KEY----- ", 20000),
		"one line":    strings.Repeat("x", 1<<20) + " ghp_" + newFake(4).s(alnum, 36) + " " + strings.Repeat("akia", 1<<18),
		"invalid utf": "\xff\xfe" + strings.Repeat("\xc3", 5000) + "password=\xff\xff",
		"nul":         strings.Repeat("\x00", 100000),
	} {
		ms := d.ScanValue(text)
		if len(ms) > 100*60 {
			t.Errorf("%s: %d matches", name, len(ms))
		}
		d.ScanAssignment("password", text)
		IsSecretName(text)
		Redact(text)
	}
	if ms := d.ScanValue(strings.Repeat("x", 1<<20) + " ghp_" + newFake(4).s(alnum, 36) + " "); len(ms) != 1 {
		t.Errorf("token at the end of a 1 MiB line: %v", ids(ms))
	}
}

func BenchmarkScanValueHostile(b *testing.B) {
	text := strings.Repeat("x", 1<<20) + strings.Repeat(" sk_live_x ://a eyJ q~ akia", 1<<14)
	d := Default()
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		d.ScanValue(text)
	}
}

func BenchmarkScanValue(b *testing.B) {
	f := newFake(11)
	var sb strings.Builder
	for sb.Len() < 64<<10 {
		sb.WriteString(`    result = client.time_series.retrieve(external_id="` + f.s(alnum, 12) + `")  # fetch` + "\n")
	}
	sb.WriteString(`TOKEN = "ghp_` + f.s(alnum, 36) + "\"\n")
	src := sb.String()
	d := Default()
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if len(d.ScanValue(src)) != 1 {
			b.Fatal("want one match")
		}
	}
}

func BenchmarkScanAssignment(b *testing.B) {
	d := Default()
	vals := []string{"https://api.cognitedata.com", "acme-prod", newFake(12).s(alnum, 32), "timeseries-123"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.ScanAssignment("api_key", vals[i%len(vals)])
	}
}
