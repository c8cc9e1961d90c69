package rules

import (
	"fmt"
	"net"
	"sort"
	"strings"

	"github.com/cdf-preflight/preflight/analysis/cdf"
	"github.com/cdf-preflight/preflight/analysis/pyast"
	"github.com/cdf-preflight/preflight/analysis/report"
	"github.com/cdf-preflight/preflight/analysis/secrets"
)

// Egress reports where the code sends network requests and what it sends:
// every outbound destination (HTTP clients, sockets, FTP, SMTP, SSH,
// websockets, cloud SDKs, telemetry services), URLs the caller controls
// (SSRF), and the caller's token, secrets or CDF data leaving for hosts
// outside CDF.
var Egress = &Family{
	Name: "egress",
	Doc: "A function runs inside CDF with the caller's permissions; anything it sends out leaves that " +
		"protection. These checks list every host the code contacts and flag requests that carry the " +
		"caller's token, the function's secrets or data read from CDF to hosts outside CDF and the " +
		"policy's allowed hosts, and URLs chosen by whoever calls the function.",
	Run: runEgress,
}

// Rule ids of the egress family.
const (
	ruleEgressHost       = "PF-EGRESS-001"
	ruleEgressSSRF       = "PF-EGRESS-002"
	ruleEgressToken      = "PF-EGRESS-003"
	ruleEgressCDFData    = "PF-EGRESS-004"
	ruleEgressSecret     = "PF-EGRESS-005"
	ruleEgressSecretAway = "PF-EGRESS-006"
	ruleEgressDNSData    = "PF-EGRESS-007"
)

// egKind says how a call names its destination.
type egKind uint8

const (
	egURL       egKind = iota // a URL argument (requests.get(url))
	egHost                    // a host argument (http.client.HTTPSConnection(host), ftplib.FTP(host))
	egAddress                 // an address: ("host", port) or "host:port" (socket, paramiko.Transport)
	egFixed                   // a service with a well-known host (telemetry, cloud SDKs)
	egViaCtor                 // a method of an object whose constructor named the destination
	egRequestOb               // urlopen(Request(...)): the destination is in the Request
)

// egTarget is one outbound call form.
type egTarget struct {
	kind    egKind
	arg     int    // index of the URL/host/address argument (-1 none)
	kw      string // its keyword name
	host    string // egFixed: the service's host
	baseKw  string // methods of client objects: the constructor's base URL keyword
	service string // plain name for messages ("Mixpanel")
	silent  bool   // record the egress but report no network-egress finding (cloud storage SDK calls)
	lookup  bool   // a DNS lookup: the host name is what is sent
}

// egHTTPMethods are the verb functions of HTTP client libraries.
var egHTTPMethods = []string{"get", "post", "put", "patch", "delete", "head", "options"}

// egTargets maps callee names to their call form.
var egTargets = func() map[string]egTarget {
	t := map[string]egTarget{}
	url := func(names ...string) {
		for _, n := range names {
			t[n] = egTarget{kind: egURL, arg: 0, kw: "url"}
		}
	}
	methodURL := func(names ...string) { // request(method, url)
		for _, n := range names {
			t[n] = egTarget{kind: egURL, arg: 1, kw: "url"}
		}
	}
	for _, prefix := range []string{"requests.", "requests.api.", "httpx."} {
		for _, m := range egHTTPMethods {
			url(prefix + m)
		}
		methodURL(prefix + "request")
	}
	methodURL("httpx.stream", "aiohttp.request", "urllib3.request")
	// Methods of client objects; a relative URL joins the constructor's base URL.
	for _, class := range []string{"requests.Session", "requests.sessions.Session", "requests.session",
		"httpx.Client", "httpx.AsyncClient", "aiohttp.ClientSession", "aiohttp.client.ClientSession"} {
		for _, m := range egHTTPMethods {
			t[class+"."+m] = egTarget{kind: egURL, arg: 0, kw: "url", baseKw: "base_url"}
		}
		t[class+".request"] = egTarget{kind: egURL, arg: 1, kw: "url", baseKw: "base_url"}
		t[class+".stream"] = egTarget{kind: egURL, arg: 1, kw: "url", baseKw: "base_url"}
		t[class+".ws_connect"] = egTarget{kind: egURL, arg: 0, kw: "url", baseKw: "base_url"}
	}
	for _, class := range []string{"urllib3.PoolManager", "urllib3.poolmanager.PoolManager", "urllib3.ProxyManager"} {
		for _, m := range []string{"request", "urlopen", "request_encode_body", "request_encode_url"} {
			methodURL(class + "." + m)
		}
	}
	t["urllib.request.urlopen"] = egTarget{kind: egRequestOb, arg: 0, kw: "url"}
	t["urllib2.urlopen"] = egTarget{kind: egRequestOb, arg: 0, kw: "url"}
	t["urllib.urlopen"] = egTarget{kind: egRequestOb, arg: 0, kw: "url"}
	t["urllib.request.OpenerDirector.open"] = egTarget{kind: egRequestOb, arg: 0, kw: "fullurl"}
	url("urllib.request.urlretrieve", "urllib.urlretrieve", "urllib3.connection_from_url",
		"websocket.create_connection", "websocket.WebSocketApp", "websocket.WebSocket.connect",
		"websockets.connect", "websockets.client.connect", "websockets.sync.client.connect")
	t["websockets.connect"] = egTarget{kind: egURL, arg: 0, kw: "uri"}
	t["websockets.client.connect"] = egTarget{kind: egURL, arg: 0, kw: "uri"}
	t["websockets.sync.client.connect"] = egTarget{kind: egURL, arg: 0, kw: "uri"}
	for _, n := range []string{"http.client.HTTPConnection", "http.client.HTTPSConnection", "httplib.HTTPConnection",
		"httplib.HTTPSConnection", "urllib3.HTTPConnectionPool", "urllib3.HTTPSConnectionPool",
		"ftplib.FTP", "ftplib.FTP_TLS", "ftplib.FTP.connect", "ftplib.FTP_TLS.connect",
		"smtplib.SMTP", "smtplib.SMTP_SSL", "smtplib.SMTP.connect", "smtplib.SMTP_SSL.connect",
		"poplib.POP3", "poplib.POP3_SSL", "imaplib.IMAP4", "imaplib.IMAP4_SSL", "telnetlib.Telnet"} {
		t[n] = egTarget{kind: egHost, arg: 0, kw: "host"}
	}
	t["paramiko.SSHClient.connect"] = egTarget{kind: egHost, arg: 0, kw: "hostname"}
	t["paramiko.client.SSHClient.connect"] = egTarget{kind: egHost, arg: 0, kw: "hostname"}
	t["paramiko.Transport"] = egTarget{kind: egAddress, arg: 0, kw: "sock"}
	t["socket.create_connection"] = egTarget{kind: egAddress, arg: 0, kw: "address"}
	t["socket.socket.connect"] = egTarget{kind: egAddress, arg: 0, kw: "address"}
	t["socket.socket.connect_ex"] = egTarget{kind: egAddress, arg: 0, kw: "address"}
	t["socket.socket.sendto"] = egTarget{kind: egAddress, arg: 1, kw: "address"}
	// Name lookups: the name itself reaches the resolvers on the way to
	// the zone's name server — data put in a label leaves with it.
	for _, n := range []string{"socket.gethostbyname", "socket.gethostbyname_ex", "socket.getaddrinfo",
		"socket.gethostbyaddr", "socket.getfqdn", "asyncio.AbstractEventLoop.getaddrinfo"} {
		t[n] = egTarget{kind: egHost, arg: 0, kw: "host", lookup: true}
	}
	for _, n := range []string{"dns.resolver.resolve", "dns.resolver.query", "dns.resolver.Resolver.resolve",
		"dns.resolver.Resolver.query", "dns.asyncresolver.resolve", "dns.asyncresolver.Resolver.resolve"} {
		t[n] = egTarget{kind: egHost, arg: 0, kw: "qname", lookup: true}
	}
	// Senders on objects that named their destination when built.
	for _, n := range []string{"http.client.HTTPConnection.request", "http.client.HTTPSConnection.request",
		"smtplib.SMTP.sendmail", "smtplib.SMTP.send_message", "smtplib.SMTP_SSL.sendmail",
		"smtplib.SMTP_SSL.send_message", "ftplib.FTP.storbinary", "ftplib.FTP.storlines",
		"ftplib.FTP_TLS.storbinary", "ftplib.FTP_TLS.storlines", "socket.socket.send", "socket.socket.sendall",
		"paramiko.SFTPClient.put", "paramiko.SFTPClient.putfo"} {
		t[n] = egTarget{kind: egViaCtor, arg: -1}
	}
	// Telemetry and analytics services: they send what they are given to their vendor.
	fixed := func(host, service string, names ...string) {
		for _, n := range names {
			t[n] = egTarget{kind: egFixed, arg: -1, host: host, service: service}
		}
	}
	fixed("api.mixpanel.com", "Mixpanel", "mixpanel.Mixpanel", "mixpanel.Mixpanel.track", "mixpanel.Mixpanel.people_set",
		"mixpanel.Mixpanel.import_data", "mixpanel.Mixpanel.alias", "mixpanel.Mixpanel.group_set")
	fixed("api.segment.io", "Segment", "analytics.track", "analytics.identify", "analytics.page", "analytics.group",
		"analytics.screen", "analytics.alias", "segment.analytics.track", "segment.analytics.identify",
		"segment.analytics.Client", "segment.analytics.Client.track", "analytics.Client", "analytics.Client.track")
	fixed("sentry.io", "Sentry", "sentry_sdk.init", "sentry_sdk.capture_message", "sentry_sdk.capture_exception",
		"sentry_sdk.capture_event", "sentry_sdk.set_context", "sentry_sdk.set_extra", "sentry_sdk.set_user", "raven.Client")
	fixed("api.datadoghq.com", "Datadog", "datadog.initialize", "datadog.api.Event.create", "datadog.api.Metric.send",
		"datadog.statsd.gauge", "datadog.statsd.increment", "datadog.statsd.event", "datadog.DogStatsd",
		"datadog_api_client.ApiClient")
	fixed("dc.services.visualstudio.com", "Application Insights", "applicationinsights.TelemetryClient",
		"applicationinsights.TelemetryClient.track_event", "applicationinsights.TelemetryClient.track_trace",
		"applicationinsights.TelemetryClient.track_metric", "azure.monitor.opentelemetry.configure_azure_monitor")
	fixed("us.i.posthog.com", "PostHog", "posthog.Posthog", "posthog.capture", "posthog.identify",
		"posthog.Posthog.capture", "posthog.Posthog.identify")
	fixed("api2.amplitude.com", "Amplitude", "amplitude.Amplitude", "amplitude.Amplitude.track")
	fixed("api.rollbar.com", "Rollbar", "rollbar.init", "rollbar.report_message", "rollbar.report_exc_info")
	fixed("notify.bugsnag.com", "Bugsnag", "bugsnag.configure", "bugsnag.notify", "bugsnag.Client", "bugsnag.Client.notify")
	fixed("collector.newrelic.com", "New Relic", "newrelic.agent.initialize", "newrelic.agent.record_custom_event",
		"newrelic.agent.register_application")
	fixed("api.honeybadger.io", "Honeybadger", "honeybadger.honeybadger.configure", "honeybadger.honeybadger.notify",
		"honeybadger.Honeybadger.notify")
	t["statsd.StatsClient"] = egTarget{kind: egHost, arg: 0, kw: "host", service: "StatsD"}
	t["statsd.TCPStatsClient"] = egTarget{kind: egHost, arg: 0, kw: "host", service: "StatsD"}
	t["sentry_sdk.init"] = egTarget{kind: egURL, arg: 0, kw: "dsn", service: "Sentry"}
	return t
}()

// egCloudServices are cloud SDK factories: the client talks to the
// vendor's endpoints; its calls carry what they are given.
var egCloudServices = map[string]string{
	"boto3.client": "amazonaws.com", "boto3.resource": "amazonaws.com",
	"boto3.session.Session.client": "amazonaws.com", "boto3.Session.client": "amazonaws.com",
	"boto3.session.Session.resource": "amazonaws.com", "boto3.Session.resource": "amazonaws.com",
	"google.cloud.storage.Client": "storage.googleapis.com", "google.cloud.bigquery.Client": "bigquery.googleapis.com",
	"azure.storage.blob.BlobServiceClient":                        "blob.core.windows.net",
	"azure.storage.blob.BlobServiceClient.from_connection_string": "blob.core.windows.net",
	"azure.storage.blob.BlobClient.from_connection_string":        "blob.core.windows.net",
	"azure.storage.blob.ContainerClient.from_connection_string":   "blob.core.windows.net",
}

// egLookup finds the call form of a callee; opentelemetry exporters match
// by shape.
func egLookup(callee string) (egTarget, bool) {
	if t, ok := egTargets[callee]; ok {
		return t, true
	}
	if strings.HasPrefix(callee, "opentelemetry.exporter.") && strings.HasSuffix(callee, "Exporter") {
		return egTarget{kind: egURL, arg: -1, kw: "endpoint", service: "OpenTelemetry"}, true
	}
	return egTarget{}, false
}

// egCDFSuffixes are CDF's own hosts and the identity providers its clients
// refresh tokens with: requests there are the function doing its job.
var egCDFSuffixes = []string{
	"cognitedata.com", "cognite.ai", "cognite.com", "cogniteapp.com",
	"login.microsoftonline.com", "login.microsoft.com", "login.windows.net", "sts.windows.net",
	"b2clogin.com", "auth0.com", "okta.com", "oktapreview.com", "accounts.google.com", "oauth2.googleapis.com",
	"auth.cognite.com",
}

// egDest is what is known about a request's destination.
type egDest struct {
	host      string // "" when not known statically
	pattern   string // the host as far as known: "{…}.cognitedata.com"
	url       string // the URL (or host) as far as known, holes as {…}
	fromInput bool   // the caller's data decides the host
	cleartext bool   // http://, ftp://, ws://
}

// egClass classifies a destination.
type egClass uint8

const (
	egClassCDF     egClass = iota // CDF or its identity providers
	egClassLocal                  // localhost
	egClassAllowed                // the policy allows it
	egClassKnown                  // a fixed external host
	egClassUnknown                // decided at run time
)

func egClassify(pass *Pass, d egDest) egClass {
	if d.host == "" {
		// f"https://{cluster}.cognitedata.com/…": only the leftmost label is unknown.
		if i := strings.LastIndex(d.pattern, pyast.Hole); i >= 0 && !d.fromInput {
			rest := d.pattern[i+len(pyast.Hole):]
			if strings.HasPrefix(rest, ".") && !strings.Contains(rest, pyast.Hole) && egIsCDFHost(rest[1:]) {
				return egClassCDF
			}
		}
		return egClassUnknown
	}
	if egIsCDFHost(d.host) {
		return egClassCDF
	}
	if d.host == "localhost" || strings.HasPrefix(d.host, "127.") || d.host == "::1" {
		return egClassLocal
	}
	if pass.Policy != nil && pass.Policy.HostAllowed(d.host) {
		return egClassAllowed
	}
	return egClassKnown
}

func egIsCDFHost(h string) bool {
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	for _, s := range egCDFSuffixes {
		if h == s || strings.HasSuffix(h, "."+s) {
			return true
		}
	}
	return false
}

// egParseURL reads the destination from a (partial) URL string.
func egParseURL(s pyast.PartialString) egDest {
	full := s.String()
	d := egDest{url: full}
	rest := full
	if i := strings.Index(rest, "://"); i >= 0 {
		scheme := strings.ToLower(rest[:i])
		d.cleartext = scheme == "http" || scheme == "ftp" || scheme == "ws"
		rest = rest[i+3:]
	} else if !strings.HasPrefix(rest, "//") {
		// No scheme: a bare host ("api.example.com/x") or a path relative to a base.
		if strings.HasPrefix(rest, "/") || strings.HasPrefix(rest, pyast.Hole) || rest == "" {
			return d
		}
	} else {
		rest = rest[2:]
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	hostport := rest[:end]
	if at := strings.LastIndexByte(hostport, '@'); at >= 0 {
		hostport = hostport[at+1:] // user:password@host
	}
	d.pattern = egStripPort(hostport)
	if !strings.Contains(d.pattern, pyast.Hole) && d.pattern != "" {
		d.host = strings.ToLower(d.pattern)
	}
	return d
}

// egStripPort drops ":port" from a host (and the brackets of an IPv6 address).
func egStripPort(hp string) string {
	if strings.HasPrefix(hp, "[") {
		if i := strings.IndexByte(hp, ']'); i > 0 {
			return hp[1:i]
		}
	}
	if i := strings.LastIndexByte(hp, ':'); i >= 0 && strings.Count(hp, ":") == 1 {
		return hp[:i]
	}
	return hp
}

// egSite is everything known about one outbound call.
type egSite struct {
	cs      *CallSite
	dest    egDest
	service string
	url     Value   // the URL/host value (labels say who decides it)
	auth    []Value // headers, auth, params, cookies: where credentials go
	body    []Value // data, json, files, body, content, positional payload: what is sent
	silent  bool
	lookup  bool
}

// egBodyKeywords are keyword arguments that carry the request's content.
var egBodyKeywords = map[string]bool{
	"data": true, "json": true, "files": true, "body": true, "content": true, "fields": true,
	"msg": true, "message": true, "properties": true, "event_properties": true, "user_properties": true,
	"extra": true, "tags": true, "contexts": true, "payload": true, "Body": true, "Item": true,
	"MessageBody": true, "Message": true, "Payload": true, "event": true,
}

// egAuthKeywords carry credentials and request options.
var egAuthKeywords = map[string]bool{
	"headers": true, "auth": true, "params": true, "cookies": true, "proxies": true, "password": true,
	"passwd": true, "pkey": true, "key_filename": true, "token": true, "api_key": true, "dsn": true,
	"aws_access_key_id": true, "aws_secret_access_key": true, "aws_session_token": true,
	"credential": true, "credentials": true, "write_key": true, "api_token": true, "access_token": true,
	"project_token": true, "conn_str": true, "connection_string": true,
}

// egIndex helps resolve the objects methods are called on.
type egIndex struct {
	calls    map[*pyast.Call]*CallSite
	assigns  map[*Module]map[string][]egAssign // by target name, in source order
	connects map[*Module]map[string][]egAssign // obj.connect(…) calls by object name, in source order
}

// egAssign is "name = Call(...)" or "with Call(...) as name".
type egAssign struct {
	call *pyast.Call
	pos  pyast.Pos
}

func egBuildIndex(prog *Program) *egIndex {
	ix := &egIndex{calls: map[*pyast.Call]*CallSite{}, assigns: map[*Module]map[string][]egAssign{},
		connects: map[*Module]map[string][]egAssign{}}
	for _, cs := range prog.Calls {
		if cs == nil || cs.Call == nil {
			continue
		}
		ix.calls[cs.Call] = cs
		if a, ok := cs.Call.Func.(*pyast.Attribute); ok && (a.Attr == "connect" || a.Attr == "connect_ex") {
			if name, ok := pyast.AttrPath(a.Value); ok {
				if ix.connects[cs.Module] == nil {
					ix.connects[cs.Module] = map[string][]egAssign{}
				}
				ix.connects[cs.Module][name] = append(ix.connects[cs.Module][name], egAssign{call: cs.Call, pos: cs.Call.Pos()})
			}
		}
	}
	for _, byName := range ix.connects {
		for _, list := range byName {
			sort.SliceStable(list, func(i, j int) bool { return list[i].pos < list[j].pos })
		}
	}
	for _, m := range prog.Modules {
		if m == nil || m.AST == nil {
			continue
		}
		byName := map[string][]egAssign{}
		add := func(target pyast.Expr, value pyast.Expr, pos pyast.Pos) {
			call, ok := value.(*pyast.Call)
			if !ok {
				if aw, isAwait := value.(*pyast.Await); isAwait {
					call, ok = aw.Value.(*pyast.Call)
				}
			}
			if !ok || target == nil {
				return
			}
			if name, ok := pyast.AttrPath(target); ok {
				byName[name] = append(byName[name], egAssign{call: call, pos: pos})
			}
		}
		m.inspect(func(n pyast.Node) bool {
			switch s := n.(type) {
			case *pyast.Assign:
				for _, t := range s.Targets {
					add(t, s.Value, s.Pos())
				}
			case *pyast.AnnAssign:
				if s.Value != nil {
					add(s.Target, s.Value, s.Pos())
				}
			case *pyast.With:
				for _, it := range s.Items {
					if it != nil {
						add(it.OptionalVars, it.ContextExpr, s.Pos())
					}
				}
			}
			return true
		})
		for _, list := range byName {
			sort.SliceStable(list, func(i, j int) bool { return list[i].pos < list[j].pos })
		}
		ix.assigns[m] = byName
	}
	return ix
}

// ctorOf returns the call that built the value of expression e used at
// pos in m: e itself when it is a call, else the last "name = call" or
// "with call as name" before pos.
func (ix *egIndex) ctorOf(m *Module, e pyast.Expr, pos pyast.Pos) *CallSite {
	if c, ok := e.(*pyast.Call); ok {
		return ix.calls[c]
	}
	name, ok := pyast.AttrPath(e)
	if !ok {
		return nil
	}
	return ix.lastBefore(ix.assigns[m][name], pos)
}

// connectOf returns the last obj.connect(…) call before pos on the object
// of expression e: where a socket's later sends go.
func (ix *egIndex) connectOf(m *Module, e pyast.Expr, pos pyast.Pos) *CallSite {
	name, ok := pyast.AttrPath(e)
	if !ok {
		return nil
	}
	return ix.lastBefore(ix.connects[m][name], pos)
}

func (ix *egIndex) lastBefore(list []egAssign, pos pyast.Pos) *CallSite {
	i := sort.Search(len(list), func(i int) bool { return list[i].pos >= pos })
	if i == 0 {
		return nil
	}
	return ix.calls[list[i-1].call]
}

// receiverExpr is the object of a method call, or nil.
func receiverExpr(cs *CallSite) pyast.Expr {
	if a, ok := cs.Call.Func.(*pyast.Attribute); ok {
		return a.Value
	}
	return nil
}

// egSafeURL is a URL as it may be shown: never user:password@, never the
// query (API keys travel there), only scheme and host when a secret is
// part of the URL (a webhook URL is itself a credential), and anything
// the secrets detector recognises redacted.
func egSafeURL(pass *Pass, url string, labels Labels) string {
	if url == "" {
		return ""
	}
	scheme, rest := "", url
	if i := strings.Index(rest, "://"); i >= 0 {
		scheme, rest = rest[:i+3], rest[i+3:]
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	host, tail := rest[:end], rest[end:]
	if at := strings.LastIndexByte(host, '@'); at >= 0 {
		host = "…@" + host[at+1:]
	}
	if i := strings.IndexAny(tail, "?#"); i >= 0 {
		tail = tail[:i] + "?…"
	}
	if labels.Has(egSecretLabels|LabelCredential) && tail != "" {
		tail = "/…"
	}
	out := scheme + host + tail
	if pass.Secrets != nil {
		for _, m := range pass.Secrets.ScanValue(out) {
			if m.Secret != "" {
				out = strings.ReplaceAll(out, m.Secret, secrets.Redact(m.Secret))
			}
		}
	}
	return out
}

func runEgress(pass *Pass) {
	ix := egBuildIndex(pass.Program)
	for _, cs := range pass.Program.Calls {
		if cs == nil || cs.Call == nil || cs.Module == nil {
			continue
		}
		site, ok := egSiteOf(ix, cs)
		if !ok {
			continue
		}
		egReport(pass, site)
	}
}

// egSiteOf recognises an outbound call and collects what it sends where.
func egSiteOf(ix *egIndex, cs *CallSite) (egSite, bool) {
	if host, ok := egCloudServices[cs.Callee]; ok {
		site := egSite{cs: cs, service: "cloud service", silent: true}
		if v, ok := cs.Arg(0, "service_name"); ok && v.HasStr && v.Str.Exact() {
			host = v.Str.Parts[0] + "." + host
		}
		site.dest = egDest{host: host, pattern: host, url: host}
		site.auth = egAllArgs(cs)
		return site, true
	}
	if recv := receiverExpr(cs); recv != nil && cs.Kind != KindClient && cs.Kind != KindOtherClient {
		// A method of a cloud SDK client: s3.put_object(Body=…).
		if ctor := ix.ctorOf(cs.Module, recv, cs.Call.Pos()); ctor != nil && ctor != cs {
			if host, ok := egCloudServices[ctor.Callee]; ok {
				if v, ok := ctor.Arg(0, "service_name"); ok && v.HasStr && v.Str.Exact() {
					host = v.Str.Parts[0] + "." + host
				}
				site := egSite{cs: cs, service: "cloud service", silent: true, dest: egDest{host: host, pattern: host, url: host}}
				egSplitArgs(cs, -1, &site)
				return site, true
			}
		}
	}
	callee := cs.Callee
	if callee == "" {
		// A method of an object the model did not type (smtplib.SMTP(...) is
		// all capitals): name it after the call that built the object.
		if recv := receiverExpr(cs); recv != nil {
			if ctor := ix.ctorOf(cs.Module, recv, cs.Call.Pos()); ctor != nil && ctor != cs && ctor.Callee != "" {
				callee = ctor.Callee + "." + cs.Call.Func.(*pyast.Attribute).Attr
			}
		}
	}
	t, ok := egLookup(callee)
	if !ok {
		return egSite{}, false
	}
	site := egSite{cs: cs, service: t.service, silent: t.silent}
	switch t.kind {
	case egURL, egRequestOb:
		v, given := cs.Arg(t.arg, t.kw)
		if t.kind == egRequestOb && given && !v.HasStr {
			// urlopen(req): the URL and the data are in the Request.
			if a := egArgExpr(cs, t.arg, t.kw); a != nil {
				if req := ix.ctorOf(cs.Module, a, cs.Call.Pos()); req != nil && strings.HasSuffix(req.Callee, "Request") {
					rv, _ := req.Arg(0, "url")
					site.url = rv
					site.dest = egDestOf(rv)
					egSplitArgs(req, 0, &site)
					egSplitArgs(cs, 0, &site)
					return site, true
				}
			}
		}
		site.url = v
		site.dest = egDestOf(v)
		if t.baseKw != "" && site.dest.host == "" && !egAbsolute(v) {
			// A relative URL on a client with a base URL.
			if recv := receiverExpr(cs); recv != nil {
				if ctor := ix.ctorOf(cs.Module, recv, cs.Call.Pos()); ctor != nil {
					if base, ok := ctor.Keywords[t.baseKw]; ok && base.HasStr {
						site.dest = egParseURL(pyast.PartialString{Parts: egJoinBase(base.Str, v)})
						site.url.Labels |= base.Labels
						site.dest.fromInput = site.dest.host == "" && site.url.Labels.Has(LabelCallInput)
					}
				}
			}
		}
		if !given && t.kind == egURL && t.service != "" && t.arg < 0 {
			site.dest = egDest{} // exporter without endpoint: its default collector
		}
		egSplitArgs(cs, t.arg, &site)
	case egHost:
		v, _ := cs.Arg(t.arg, t.kw)
		site.url = v
		site.dest = egHostDest(v)
		site.lookup = t.lookup
		egSplitArgs(cs, t.arg, &site)
	case egAddress:
		v, _ := cs.Arg(t.arg, t.kw)
		site.url = v
		site.dest = egAddressDest(v, egArgExpr(cs, t.arg, t.kw))
		egSplitArgs(cs, t.arg, &site)
	case egFixed:
		site.dest = egDest{host: t.host, pattern: t.host, url: t.host}
		for _, kw := range []string{"host", "api_host", "endpoint"} {
			if v, ok := cs.Keywords[kw]; ok && v.HasStr {
				if d := egDestOf(v); d.host != "" {
					site.dest = d
				}
			}
		}
		egSplitArgs(cs, -1, &site)
		// Telemetry SDKs send everything they are given.
		site.body = append(site.body, site.auth...)
		site.auth = nil
	case egViaCtor:
		recv := receiverExpr(cs)
		if recv == nil {
			return egSite{}, false
		}
		ctor := ix.ctorOf(cs.Module, recv, cs.Call.Pos())
		ct, named := egTarget{}, false
		if ctor != nil {
			ct, named = egLookup(ctor.Callee)
			named = named && ct.arg >= 0 && ct.kind != egViaCtor
		}
		if !named {
			// socket.socket() names no host: the last s.connect(addr) does.
			if conn := ix.connectOf(cs.Module, recv, cs.Call.Pos()); conn != nil {
				ctor = conn
				ct = egTarget{kind: egAddress, arg: 0, kw: "address"}
				if c, ok := egLookup(conn.Callee); ok && c.kind == egHost {
					ct = c
				}
			}
		}
		if ctor == nil {
			site.dest = egDest{}
		} else {
			v, _ := ctor.Arg(ct.arg, ct.kw)
			site.url = v
			if ct.kind == egAddress {
				site.dest = egAddressDest(v, egArgExpr(ctor, ct.arg, ct.kw))
			} else {
				site.dest = egHostDest(v)
			}
		}
		egSplitArgs(cs, -1, &site)
		site.body = append(site.body, site.auth...)
		site.auth = nil
	}
	return site, true
}

// egLookupZone returns the fixed domain under which a DNS lookup puts a
// name built at run time ("t.example.net" for f"{x}.t.example.net"), or ""
// when the call is not a lookup or the name has no such shape.
func egLookupZone(s egSite) string {
	if !s.lookup || s.dest.host != "" {
		return ""
	}
	i := strings.LastIndex(s.dest.pattern, pyast.Hole)
	if i < 0 {
		return ""
	}
	rest := s.dest.pattern[i+len(pyast.Hole):]
	zone := strings.TrimPrefix(rest, ".")
	if zone == rest || !strings.Contains(zone, ".") {
		return ""
	}
	return strings.ToLower(zone)
}

// egAbsolute reports whether a URL value starts with a scheme or a hole
// (a full URL built elsewhere).
func egAbsolute(v Value) bool {
	if !v.HasStr {
		return true
	}
	p := v.Str.Prefix()
	return strings.Contains(p, "://") || (p == "" && len(v.Str.Parts) > 1)
}

// egJoinBase appends a relative URL to a base URL.
func egJoinBase(base pyast.PartialString, rel Value) []string {
	parts := append([]string(nil), base.Parts...)
	rp := rel.Str.Parts
	if len(rp) == 0 {
		return parts
	}
	parts[len(parts)-1] = strings.TrimSuffix(parts[len(parts)-1], "/") + "/" + strings.TrimPrefix(rp[0], "/")
	return append(parts, rp[1:]...)
}

func egDestOf(v Value) egDest {
	var d egDest
	if v.HasStr {
		d = egParseURL(v.Str)
	}
	d.fromInput = d.host == "" && v.Labels.Has(LabelCallInput)
	return d
}

// egHostDest reads a host argument ("ftp.example.com").
func egHostDest(v Value) egDest {
	if !v.HasStr {
		return egDest{fromInput: v.Labels.Has(LabelCallInput)}
	}
	s := v.Str.String()
	if strings.Contains(s, "://") {
		return egDestOf(v)
	}
	d := egDest{url: s, pattern: egStripPort(s)}
	if v.Str.Exact() && d.pattern != "" {
		d.host = strings.ToLower(d.pattern)
	}
	d.fromInput = d.host == "" && v.Labels.Has(LabelCallInput)
	return d
}

// egAddressDest reads ("host", port) or "host:port".
func egAddressDest(v Value, e pyast.Expr) egDest {
	if t, ok := e.(*pyast.Tuple); ok && len(t.Elts) > 0 {
		if s, ok := pyast.ConstString(t.Elts[0]); ok {
			return egDest{host: strings.ToLower(s), pattern: s, url: s}
		}
		return egDest{fromInput: v.Labels.Has(LabelCallInput)}
	}
	return egHostDest(v)
}

// egArgExpr returns the expression of positional argument i or keyword kw.
func egArgExpr(cs *CallSite, i int, kw string) pyast.Expr {
	if i >= 0 && i < len(cs.Call.Args) {
		if _, starred := cs.Call.Args[i].(*pyast.Starred); !starred {
			return cs.Call.Args[i]
		}
	}
	for _, k := range cs.Call.Keywords {
		if k != nil && k.Arg == kw {
			return k.Value
		}
	}
	return nil
}

// egSplitArgs sorts a call's arguments (except the destination, urlArg)
// into what authenticates and what is sent.
func egSplitArgs(cs *CallSite, urlArg int, site *egSite) {
	for i, a := range cs.Args {
		if i == urlArg || (urlArg > 0 && i < urlArg) {
			continue // the URL, and the method before it
		}
		site.body = append(site.body, a)
	}
	for k, v := range cs.Keywords {
		switch {
		case egAuthKeywords[k]:
			site.auth = append(site.auth, v)
		case egBodyKeywords[k], k == "**":
			site.body = append(site.body, v)
		}
	}
}

func egAllArgs(cs *CallSite) []Value {
	out := append([]Value(nil), cs.Args...)
	for _, v := range cs.Keywords {
		out = append(out, v)
	}
	return out
}

func egLabels(vs []Value) Labels {
	var l Labels
	for _, v := range vs {
		l |= v.Labels
	}
	return l
}

// egDescribe names where labelled data comes from: the first origin with
// one of the labels, or a plain description.
func egDescribe(vs []Value, mask Labels) string {
	for _, v := range vs {
		for _, o := range v.Origins {
			if o.Label&mask != 0 && o.Desc != "" {
				return o.Desc
			}
		}
	}
	switch {
	case mask&LabelCredential != 0:
		return "your access token"
	case mask&LabelCDFData != 0:
		return "data read from CDF"
	}
	return "a secret"
}

const egSecretLabels = LabelSecret | LabelEnvSecret | LabelHardcodedSecret

// egReport turns one outbound call into egress facts and findings.
func egReport(pass *Pass, s egSite) {
	cs := s.cs
	s.dest.url = egSafeURL(pass, s.dest.url, s.url.Labels)
	pass.AddEgress(cs.Module, cs.Call, s.dest.host, s.dest.url)
	class := egClassify(pass, s.dest)
	conf := report.ConfidenceHigh
	if !cs.Reachable {
		conf = report.ConfidenceMedium
	}
	where := s.dest.host
	if where == "" {
		where = "a host decided at run time"
		if s.dest.url != "" {
			where += " (" + s.dest.url + ")"
		}
	}
	if s.service != "" && s.service != "cloud service" && s.dest.host != "" {
		where = s.service + " (" + s.dest.host + ")"
	}
	if class == egClassCDF {
		egCDFRequest(pass, s)
		return
	}
	if class == egClassLocal {
		return
	}
	urlVals := []Value{s.url}
	authVals := append(append([]Value(nil), s.auth...), s.url)
	all := append(append([]Value(nil), authVals...), s.body...)
	allLabels := egLabels(all)
	bodyLabels := egLabels(s.body)
	authLabels := egLabels(authVals)
	transport := ""
	if s.dest.cleartext {
		transport = " over unencrypted " + strings.SplitN(s.dest.url, ":", 2)[0]
	}

	// The caller's token leaving CDF: always the worst case.
	if allLabels.Has(LabelCredential) {
		pass.ReportNode(cs.Module, cs.Call, report.Finding{
			RuleID: ruleEgressToken, Category: report.DataExfiltration, Severity: report.Critical, Confidence: conf,
			Title: "Sends your access token out of CDF",
			Message: fmt.Sprintf("%s reaches a request to %s%s: whoever receives it can act as you in CDF "+
				"with all your permissions until the token expires", egDescribe(all, LabelCredential), where, transport),
			Remediation: "Do not run this function. Nothing legitimate sends the caller's token to another host.",
		})
	}
	// Data read from CDF leaving for a host the policy does not allow.
	// CDF data in the URL of a request to an unknown host is where the
	// request goes (a URL kept in CDF), not what it sends.
	cdfSent := bodyLabels.Has(LabelCDFData) || egLabels(s.auth).Has(LabelCDFData) ||
		(s.dest.host != "" && s.url.Labels.Has(LabelCDFData))
	if class != egClassAllowed && cdfSent {
		sev := report.Medium
		if bodyLabels.Has(LabelCDFData) {
			sev = report.High
		}
		pass.ReportNode(cs.Module, cs.Call, report.Finding{
			RuleID: ruleEgressCDFData, Category: report.DataExfiltration, Severity: sev, Confidence: conf,
			Title:   "Sends CDF data to an external host",
			Message: fmt.Sprintf("%s is sent to %s%s — it leaves CDF's access control", egDescribe(all, LabelCDFData), where, transport),
			Remediation: "Make sure the receiving service may hold this data, and add its host to the policy's " +
				"network.allowed_hosts if it is approved.",
		})
	}
	// Secrets or CDF data spelled into the name looked up under a fixed
	// zone (f"{secret}.x.example"): the name travels through every resolver
	// to the zone's name server — exfiltration without a request.
	if zone := egLookupZone(s); zone != "" && s.url.Labels.Has(egSecretLabels|LabelCDFData) {
		f := report.Finding{
			RuleID: ruleEgressDNSData, Category: report.SecretExposure, Severity: report.High, Confidence: conf,
			Title: "Puts a secret in a DNS lookup",
			Message: fmt.Sprintf("%s is made part of a host name looked up under %s — the name reaches that zone's "+
				"name server (and every resolver on the way) even if no connection follows", egDescribe(urlVals, egSecretLabels), zone),
			Remediation: "Do not run this function: a function has no reason to build host names from its secrets.",
		}
		if !s.url.Labels.Has(egSecretLabels) {
			f.Category, f.Title = report.DataExfiltration, "Puts CDF data in a DNS lookup"
			f.Message = fmt.Sprintf("%s is made part of a host name looked up under %s — the name reaches that zone's "+
				"name server (and every resolver on the way)", egDescribe(urlVals, LabelCDFData), zone)
		}
		pass.ReportNode(cs.Module, cs.Call, f)
	}
	// The function's secrets: sent as content, or handed to a host the
	// code does not fix.
	authUse := ""
	if class != egClassAllowed && allLabels.Has(egSecretLabels) {
		secret := egDescribe(all, egSecretLabels)
		switch {
		case bodyLabels.Has(egSecretLabels) && egCredentialExchange(s):
			// A login to the service's own fixed host: the secret
			// authenticates, like an Authorization header.
			authUse = fmt.Sprintf("; it uses %s to authenticate", secret)
		case bodyLabels.Has(egSecretLabels):
			pass.ReportNode(cs.Module, cs.Call, report.Finding{
				RuleID: ruleEgressSecret, Category: report.SecretExposure, Severity: report.High, Confidence: conf,
				Title:       "Sends a secret in a request body",
				Message:     fmt.Sprintf("%s is sent as request content to %s%s", secret, where, transport),
				Remediation: "Secrets should only authenticate to the service they belong to (a header or auth=); never send them as data.",
			})
		case class == egClassUnknown && (s.dest.fromInput || egLabels(urlVals).Has(LabelCallInput)):
			pass.ReportNode(cs.Module, cs.Call, report.Finding{
				RuleID: ruleEgressSecretAway, Category: report.DataExfiltration, Severity: report.Critical, Confidence: conf,
				Title: "Sends a secret to a host chosen by the caller",
				Message: fmt.Sprintf("%s authenticates a request whose host comes from the call input: anyone who "+
					"can call the function can have the secret sent to their own server", secret),
				Remediation: "Fix the host in the code; never let call input choose where credentials go.",
			})
		case authLabels.Has(egSecretLabels) && !s.lookup:
			authUse = fmt.Sprintf("; it uses %s to authenticate", secret)
		}
	}

	// The destination itself.
	switch {
	case class == egClassUnknown && s.dest.fromInput:
		pass.ReportNode(cs.Module, cs.Call, report.Finding{
			RuleID: ruleEgressSSRF, Category: report.NetworkEgress, Severity: report.High, Confidence: conf,
			Title: "Requests a URL from the call input",
			Message: fmt.Sprintf("the call input decides where this request goes (%s)%s: whoever calls the function "+
				"can make it fetch internal or arbitrary addresses and send data there", opsOr(s.dest.url, "the whole URL"), authUse),
			Remediation: "Only request fixed hosts, or check the URL against an allow-list before fetching it.",
		})
	case s.silent:
		// Cloud SDK calls: the host is listed in the report's egress; the
		// data they carry was judged above.
	default:
		sev, title, msg := report.Medium, "Network request to "+where, fmt.Sprintf("sends requests to %s%s%s", where, transport, authUse)
		switch class {
		case egClassAllowed:
			sev = report.Low
			msg += " (allowed by the policy)"
		case egClassUnknown:
			title = "Network request to a host decided at run time"
		}
		if s.lookup {
			title = strings.Replace(title, "Network request to", "DNS lookup of", 1)
			msg = strings.Replace(msg, "sends requests to", "looks up", 1)
		}
		if s.dest.host != "" && net.ParseIP(s.dest.host) != nil {
			msg += "; a bare IP address, not a domain name"
		}
		pass.ReportNode(cs.Module, cs.Call, report.Finding{
			RuleID: ruleEgressHost, Category: report.NetworkEgress, Severity: sev, Confidence: conf,
			Title:   title,
			Message: msg,
			Remediation: "Check that you trust this host with what the function sends; approved hosts go in " +
				"the policy's network.allowed_hosts.",
		})
	}
}

// egIdentityKeys name who logs in, sent beside the credential in a login
// body ({"username": …, "password": …}).
var egIdentityKeys = map[string]bool{
	"user": true, "username": true, "user_name": true, "userid": true, "user_id": true, "login": true,
	"email": true, "account": true, "client_id": true, "clientid": true, "grant_type": true,
	"scope": true, "audience": true, "tenant": true, "tenant_id": true, "realm": true,
}

// egCredentialExchange reports whether a request's secrets go only as
// credentials of a login to a constant host: the secrets sit in a json= or
// data= display whose entries are constants, credential-like keys
// (password, client_secret, api_key, …) or who logs in, with at least one
// credential. The host must be written in the code (not computed, not
// from the call input); the body must carry nothing but secrets. Anything
// else sends the secret as data.
func egCredentialExchange(s egSite) bool {
	if s.service != "" || s.silent || s.lookup || s.dest.host == "" || s.dest.fromInput {
		return false
	}
	if s.url.Labels != 0 || !s.url.HasStr || !s.url.Str.Exact() {
		return false
	}
	if egLabels(s.body)&^egSecretLabels != 0 {
		return false
	}
	cs := s.cs
	for i, a := range cs.Args {
		if i > 0 && a.Labels.Has(egSecretLabels) {
			return false // a secret as a positional argument (data)
		}
	}
	credential := false
	for k, v := range cs.Keywords {
		if !v.Labels.Has(egSecretLabels) || egAuthKeywords[k] || !(egBodyKeywords[k] || k == "**") {
			continue
		}
		if k != "json" && k != "data" {
			return false
		}
		ok, cred := egCredentialBody(egArgExpr(cs, -1, k))
		if !ok {
			return false
		}
		credential = credential || cred
	}
	return credential
}

// egCredentialBody reads a body display ({"password": pw} or
// dict(password=pw)): ok when every entry that is not a constant sits
// under a credential-like or identity key, cred when one is a credential.
func egCredentialBody(e pyast.Expr) (ok, cred bool) {
	entry := func(key string, v pyast.Expr) bool {
		if _, isConst := v.(*pyast.Constant); isConst {
			return true
		}
		if secrets.IsSecretName(key) {
			cred = true
			return true
		}
		return egIdentityKeys[strings.ToLower(key)]
	}
	switch e := e.(type) {
	case *pyast.Dict:
		for i, k := range e.Keys {
			if k == nil {
				return false, false // **spread
			}
			key, isStr := pyast.ConstString(k)
			if !isStr || !entry(key, e.Values[i]) {
				return false, false
			}
		}
		return cred, cred
	case *pyast.Call:
		if n, isName := e.Func.(*pyast.Name); !isName || n.ID != "dict" || len(e.Args) > 0 {
			return false, false
		}
		for _, kw := range e.Keywords {
			if kw == nil || kw.Arg == "" || !entry(kw.Arg, kw.Value) {
				return false, false
			}
		}
		return cred, cred
	}
	return false, false
}

// egCDFRequest handles a plain HTTP request to the CDF API that carries
// credentials: it does what the SDK call for that endpoint does, with the
// caller's permissions when it carries the caller's token and with another
// identity's otherwise — so a delete sent with requests is still a delete.
func egCDFRequest(pass *Pass, s egSite) {
	auth := egLabels(s.auth)
	if !auth.Has(egSecretLabels|LabelCredential|LabelDownloaded) || !strings.Contains(s.dest.url, "/api/") {
		return
	}
	method := ""
	switch m := strings.ToUpper(opsLastSegment(s.cs.Callee)); m {
	case "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS":
		method = m
	case "REQUEST":
		if v, ok := s.cs.Arg(0, "method"); ok && v.HasStr && v.Str.Exact() {
			method = strings.ToUpper(v.Str.Parts[0])
		}
	}
	call, ok := cdf.LookupRawRequest(method, s.dest.url)
	if !ok {
		return
	}
	other := !auth.Has(LabelCredential)
	base := "HTTP"
	if other {
		base = "(another identity) HTTP"
	}
	name := fmt.Sprintf("%s %s %s → %s", base, opsOr(method, "request"), s.dest.url, call.Path)
	opsRequire(pass, s.cs, call, name)
	opsEffects(pass, s.cs, call, name, other)
}
