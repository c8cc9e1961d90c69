package cdf

import (
	"strings"
	"testing"
)

// TestSDKTableCapabilitiesAreInTheCatalogue checks every capability of
// sdk.toml against acl.toml: a typo in an ACL or action would otherwise
// produce a requirement no token can ever satisfy.
func TestSDKTableCapabilitiesAreInTheCatalogue(t *testing.T) {
	if _, err := compileSDK(sdkTOML); err != nil {
		t.Fatalf("sdk.toml: %v", err)
	}
	for _, c := range SDKCalls() {
		if c.Note == "" {
			t.Errorf("%s: no note", c.Path)
		}
		for _, cap := range c.Capabilities {
			acl, ok := LookupACL(cap.ACL)
			if !ok {
				t.Errorf("%s: ACL %q is not in acl.toml", c.Path, cap.ACL)
				continue
			}
			if acl.Name != cap.ACL {
				t.Errorf("%s: ACL %q is spelled %q in the catalogue", c.Path, cap.ACL, acl.Name)
			}
			if !acl.HasAction(cap.Action) {
				t.Errorf("%s: %s has no action %q (has %v)", c.Path, cap.ACL, cap.Action, acl.Actions)
			}
		}
	}
}

func TestCompileSDKRejectsMistakes(t *testing.T) {
	bad := []struct{ name, toml, want string }{
		{"unknown effect", "[[call]]\napi='a'\nmethods=['x']\ncaps=[]\neffects=['explode']\nnote='n'\n", "unknown effect"},
		{"capability without action", "[[call]]\napi='a'\nmethods=['x']\ncaps=['assetsAcl']\neffects=['read']\nnote='n'\n", "not ACL:ACTION"},
		{"duplicate method", "[[call]]\napi='a'\nmethods=['x','x']\ncaps=[]\neffects=['read']\nnote='n'\n", "listed twice"},
		{"no note", "[[call]]\napi='a'\nmethods=['x']\ncaps=[]\neffects=['read']\n", "required"},
		{"unknown key", "[[call]]\napi='a'\nmethod=['x']\n", "method"},
		{"rest to unknown call", "[[call]]\napi='a'\nmethods=['x']\ncaps=[]\neffects=['read']\nnote='n'\n[rest]\n'GET /a' = 'a.y'\n", "not in the call table"},
		{"rest key shape", "[[call]]\napi='a'\nmethods=['x']\ncaps=[]\neffects=['read']\nnote='n'\n[rest]\n'/a' = 'a.x'\n", "METHOD /path"},
	}
	for _, tc := range bad {
		_, err := compileSDK([]byte(tc.toml))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestACLCatalogue(t *testing.T) {
	if _, err := parseACLs(aclTOML); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, action string
		ok           bool
	}{
		{"groupsAcl", "CREATE", true},
		{"extractionpipelinesAcl", "WRITE", true}, // OpenAPI spelling
		{"functionsAcl", "RUN", true},
		{"securityCategoriesAcl", "MEMBEROF", true},
		{"assetsAcl", "DELETE", false},
		{"frobAcl", "READ", false},
	} {
		acl, found := LookupACL(tc.name)
		if got := found && acl.HasAction(tc.action); got != tc.ok {
			t.Errorf("%s:%s in catalogue = %v, want %v", tc.name, tc.action, got, tc.ok)
		}
	}
	if n := len(ACLs()); n < 60 {
		t.Errorf("catalogue has %d ACLs, want the ~70 of cdf.md §2.4", n)
	}
}

// referenceRows are the SDK paths of cdf.md §3.2, each with the capability
// the table there gives; every one must resolve.
var referenceRows = []struct{ path, caps string }{
	{"assets.retrieve", "assetsAcl:READ"}, {"assets.retrieve_multiple", "assetsAcl:READ"},
	{"assets.list", "assetsAcl:READ"}, {"assets.search", "assetsAcl:READ"},
	{"assets.aggregate_count", "assetsAcl:READ"}, {"assets.retrieve_subtree", "assetsAcl:READ"},
	{"assets.create", "assetsAcl:WRITE"}, {"assets.create_hierarchy", "assetsAcl:WRITE"},
	{"assets.update", "assetsAcl:WRITE"}, {"assets.upsert", "assetsAcl:READ assetsAcl:WRITE"},
	{"assets.delete", "assetsAcl:WRITE"},
	{"events.list", "eventsAcl:READ"}, {"events.create", "eventsAcl:WRITE"}, {"events.delete", "eventsAcl:WRITE"},
	{"time_series.retrieve", "timeSeriesAcl:READ"}, {"time_series.aggregate_unique_values", "timeSeriesAcl:READ"},
	{"time_series.upsert", "timeSeriesAcl:READ timeSeriesAcl:WRITE"}, {"time_series.delete", "timeSeriesAcl:WRITE"},
	{"time_series.data.retrieve", "timeSeriesAcl:READ"}, {"time_series.data.retrieve_arrays", "timeSeriesAcl:READ"},
	{"time_series.data.retrieve_dataframe", "timeSeriesAcl:READ"}, {"time_series.data.retrieve_latest", "timeSeriesAcl:READ"},
	{"time_series.data.insert", "timeSeriesAcl:WRITE"}, {"time_series.data.insert_multiple", "timeSeriesAcl:WRITE"},
	{"time_series.data.insert_dataframe", "timeSeriesAcl:WRITE"}, {"time_series.data.delete_range", "timeSeriesAcl:WRITE"},
	{"time_series.data.delete_ranges", "timeSeriesAcl:WRITE"}, {"time_series.data.synthetic.query", "timeSeriesAcl:READ"},
	{"time_series.subscriptions.create", "timeSeriesSubscriptionsAcl:WRITE"}, {"time_series.subscriptions.iterate_data", "timeSeriesSubscriptionsAcl:READ"},
	{"sequences.search", "sequencesAcl:READ"}, {"sequences.upsert", "sequencesAcl:WRITE"},
	{"sequences.data.retrieve_last_row", "sequencesAcl:READ"}, {"sequences.data.delete_range", "sequencesAcl:WRITE"},
	{"files.download_bytes", "filesAcl:READ"}, {"files.retrieve_download_urls", "filesAcl:READ"},
	{"files.upload_content_bytes", "filesAcl:WRITE"}, {"files.multipart_upload_session", "filesAcl:WRITE"},
	{"files.delete", "filesAcl:WRITE"},
	{"raw.databases.list", "rawAcl:LIST"}, {"raw.tables.list", "rawAcl:LIST"}, {"raw.databases.delete", "rawAcl:WRITE"},
	{"raw.tables.create", "rawAcl:WRITE"}, {"raw.rows.retrieve_dataframe", "rawAcl:READ"}, {"raw.rows.insert_dataframe", "rawAcl:WRITE"},
	{"raw.rows.delete", "rawAcl:WRITE"},
	{"data_sets.aggregate_count", "datasetsAcl:READ"}, {"data_sets.update", "datasetsAcl:WRITE"},
	{"relationships.upsert", "relationshipsAcl:WRITE"}, {"relationships.update", "relationshipsAcl:READ relationshipsAcl:WRITE"},
	{"labels.create", "labelsAcl:WRITE"}, {"labels.list", "labelsAcl:READ"},
	{"iam.groups.list", "groupsAcl:LIST"}, {"iam.groups.create", "groupsAcl:CREATE"}, {"iam.groups.delete", "groupsAcl:DELETE"},
	{"iam.security_categories.list", "securityCategoriesAcl:LIST"}, {"iam.security_categories.create", "securityCategoriesAcl:CREATE"},
	{"iam.security_categories.delete", "securityCategoriesAcl:DELETE"},
	{"iam.sessions.create", "sessionsAcl:CREATE"}, {"iam.sessions.list", "sessionsAcl:LIST"}, {"iam.sessions.revoke", "sessionsAcl:DELETE"},
	{"iam.token.inspect", "projectsAcl:LIST groupsAcl:LIST"}, {"iam.verify_capabilities", "projectsAcl:LIST groupsAcl:LIST"},
	{"iam.user_profiles.me", "userProfilesAcl:READ"}, {"iam.compare_capabilities", ""},
	{"functions.retrieve", "functionsAcl:READ"}, {"functions.limits", "functionsAcl:READ"},
	{"functions.create", "functionsAcl:WRITE filesAcl:WRITE filesAcl:READ"}, {"functions.delete", "functionsAcl:WRITE"},
	{"functions.activate", "functionsAcl:WRITE"}, {"functions.call", "functionsAcl:RUN sessionsAcl:CREATE"},
	{"functions.calls.get_logs", "functionsAcl:READ"}, {"functions.schedules.create", "functionsAcl:WRITE sessionsAcl:CREATE"},
	{"functions.schedules.delete", "functionsAcl:WRITE"}, {"functions.schedules.get_input_data", "functionsAcl:READ"},
	{"data_modeling.spaces.apply", "dataModelsAcl:WRITE"}, {"data_modeling.containers.delete_indexes", "dataModelsAcl:WRITE"},
	{"data_modeling.views.list", "dataModelsAcl:READ"}, {"data_modeling.data_models.delete", "dataModelsAcl:WRITE"},
	{"data_modeling.statistics.spaces.list", "dataModelsAcl:READ"},
	{"data_modeling.instances.apply", "dataModelInstancesAcl:WRITE dataModelsAcl:READ"},
	{"data_modeling.instances.delete", "dataModelInstancesAcl:WRITE"},
	{"data_modeling.instances.query", "dataModelInstancesAcl:READ dataModelsAcl:READ"},
	{"data_modeling.instances.subscribe", "dataModelInstancesAcl:READ dataModelsAcl:READ"},
	{"data_modeling.graphql.query", "dataModelInstancesAcl:READ dataModelsAcl:READ"}, {"data_modeling.graphql.apply_dml", "dataModelsAcl:WRITE"},
	{"data_modeling.streams.create", "streamsAcl:CREATE"}, {"data_modeling.streams.delete", "streamsAcl:DELETE"},
	{"data_modeling.streams.list", "streamsAcl:READ"},
	{"data_modeling.records.ingest", "streamRecordsAcl:WRITE dataModelsAcl:READ"}, {"data_modeling.records.sync", "streamRecordsAcl:READ dataModelsAcl:READ"},
	{"transformations.preview", "transformationsAcl:READ"}, {"transformations.jobs.list", "transformationsAcl:READ"},
	{"transformations.schema.retrieve", "transformationsAcl:READ"},
	{"transformations.create", "transformationsAcl:WRITE sessionsAcl:CREATE"}, {"transformations.run", "transformationsAcl:WRITE"},
	{"transformations.schedules.create", "transformationsAcl:WRITE"}, {"transformations.notifications.delete", "transformationsAcl:WRITE"},
	{"transformations.external_data_sources.list", "transformationsExternalDataSourcesAcl:READ"},
	{"extraction_pipelines.create", "extractionPipelinesAcl:WRITE datasetsAcl:READ"}, {"extraction_pipelines.list", "extractionPipelinesAcl:READ"},
	{"extraction_pipelines.runs.create", "extractionRunsAcl:WRITE"}, {"extraction_pipelines.config.revert", "extractionConfigsAcl:WRITE"},
	{"workflows.list", "workflowOrchestrationAcl:READ"}, {"workflows.versions.upsert", "workflowOrchestrationAcl:WRITE"},
	{"workflows.executions.retrieve_detailed", "workflowOrchestrationAcl:READ"},
	{"workflows.executions.run", "workflowOrchestrationAcl:WRITE sessionsAcl:CREATE"},
	{"workflows.executions.retry", "workflowOrchestrationAcl:WRITE sessionsAcl:CREATE"},
	{"workflows.tasks.update", "workflowOrchestrationAcl:WRITE"},
	{"workflows.triggers.upsert", "workflowOrchestrationAcl:WRITE sessionsAcl:CREATE"}, {"workflows.triggers.list_runs", "workflowOrchestrationAcl:READ"},
	{"hosted_extractors.sources.list", "hostedExtractorsAcl:READ"}, {"hosted_extractors.jobs.list_logs", "hostedExtractorsAcl:READ"},
	{"hosted_extractors.mappings.delete", "hostedExtractorsAcl:WRITE"},
	{"three_d.models.list", "threedAcl:READ"}, {"three_d.revisions.filter_nodes", "threedAcl:READ"},
	{"three_d.files.retrieve", "threedAcl:READ"}, {"three_d.asset_mappings.list", "threedAcl:READ"},
	{"three_d.models.create", "threedAcl:CREATE"}, {"three_d.revisions.update_thumbnail", "threedAcl:UPDATE"},
	{"three_d.asset_mappings.delete", "threedAcl:DELETE"},
	{"entity_matching.fit", "entitymatchingAcl:WRITE"}, {"entity_matching.predict", "entitymatchingAcl:WRITE"},
	{"diagrams.detect", "assetsAcl:READ filesAcl:READ"}, {"diagrams.convert", "assetsAcl:READ filesAcl:READ"},
	{"documents.search", "filesAcl:READ"}, {"documents.previews.download_page_as_png", "filesAcl:READ"},
	{"annotations.create", "annotationsAcl:WRITE"}, {"annotations.suggest", "annotationsAcl:SUGGEST"}, {"annotations.list", "annotationsAcl:READ"},
	{"geospatial.create_features", "geospatialAcl:WRITE"}, {"geospatial.list_coordinate_reference_systems", "geospatialCrsAcl:READ"},
	{"vision.extract", "filesAcl:READ"},
	{"simulators.routines.run", "simulatorsAcl:RUN"}, {"simulators.models.delete", "simulatorsAcl:DELETE"},
	{"postgres_gateway.users.create", "postgresGatewayAcl:WRITE sessionsAcl:CREATE"}, {"postgres_gateway.tables.list", "postgresGatewayAcl:READ"},
	{"agents.chat", "agentsAcl:RUN"}, {"agents.upsert", "agentsAcl:WRITE"},
	{"units.list", ""}, {"units.systems.list", ""},
}

func capString(cs []Capability) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, c.ACL+":"+c.Action)
	}
	return strings.Join(parts, " ")
}

func TestEveryReferenceRowResolves(t *testing.T) {
	for _, row := range referenceRows {
		c, ok := LookupSDKCall(row.path)
		if !ok {
			t.Errorf("%s: not in sdk.toml", row.path)
			continue
		}
		if got := capString(c.Capabilities); got != row.caps {
			t.Errorf("%s: capabilities %q, want %q", row.path, got, row.caps)
		}
	}
}

func TestLookupSDKCall(t *testing.T) {
	for _, tc := range []struct {
		path, canonical string
		effects         Effect
		ok              bool
	}{
		{"assets.delete", "assets.delete", EffectDelete, true},
		{"iam.groups.create", "iam.groups.create", EffectWrite | EffectPrivilege, true},
		{"iam.groups.delete", "iam.groups.delete", EffectDelete | EffectPrivilege, true},
		{"iam.sessions.create", "iam.sessions.create", EffectPrivilege, true},
		{"functions.call", "functions.call", EffectRunsCode, true},
		{"functions.schedules.create", "functions.schedules.create", EffectWrite | EffectPrivilege, true},
		{"transformations.run", "transformations.run", EffectRunsCode, true},
		{"workflows.executions.run", "workflows.executions.run", EffectRunsCode, true},
		{"workflows.triggers.upsert", "workflows.triggers.upsert", EffectWrite | EffectPrivilege, true},
		// Legacy names.
		{"datapoints.insert", "time_series.data.insert", EffectWrite, true},
		{"datapoints.retrieve", "time_series.data.retrieve", EffectRead, true},
		{"datapoints.delete_range", "time_series.data.delete_range", EffectDelete, true},
		{"extraction_pipeline_runs.create", "extraction_pipelines.runs.create", EffectWrite, true},
		{"login.status", "iam.token.inspect", EffectRead, true},
		{"templates.instances.delete", "templates.instances.delete", EffectDelete, true},
		{"templates.graphql_query", "templates.graphql_query", EffectRead, true},
		{"sequences.rows.insert", "sequences.data.insert", EffectWrite, true},
		{"workflows.executions.trigger", "workflows.executions.run", EffectRunsCode, true},
		{"workflows.triggers.create", "workflows.triggers.upsert", EffectWrite | EffectPrivilege, true},
		{"workflows.triggers.get_trigger_run_history", "workflows.triggers.list_runs", EffectRead, true},
		{"iam.api_keys.create", "iam.api_keys.create", EffectWrite | EffectPrivilege | EffectCredential, true},
		{"iam.service_accounts.create", "iam.service_accounts.create", EffectWrite | EffectPrivilege, true},
		{"files.aggregate", "files.aggregate_count", EffectRead, true},
		{"time_series.data.retrieve_dataframe_in_tz", "time_series.data.retrieve_dataframe_in_tz", EffectRead, true},
		// Iteration: client.assets(chunk_size=100) lists.
		{"assets", "assets.list", EffectRead, true},
		{"time_series", "time_series.list", EffectRead, true},
		{"datapoints", "", 0, false}, // time_series.data has no list
		// Prefix methods cover one name only.
		{"events.aggregate_unique_values", "events.aggregate_unique_values", EffectRead, true},
		{"events.aggregate_x.y", "", 0, false},
		// Raw HTTP and credentials.
		{"post", "post", EffectRaw, true},
		{"api_client._post", "api_client._post", EffectRaw, true},
		{"config.credentials.authorization_header", "config.credentials.authorization_header", EffectCredential, true},
		{"_config.credentials.authorization_header", "config.credentials.authorization_header", EffectCredential, true},
		// Not SDK calls.
		{"assets.frobnicate", "", 0, false},
		{"iam.groups.update", "", 0, false},
		{"config.project", "", 0, false},
		{"frobnicate.list", "", 0, false},
		{"", "", 0, false},
		{"iam", "", 0, false},
	} {
		c, ok := LookupSDKCall(tc.path)
		if ok != tc.ok {
			t.Errorf("LookupSDKCall(%q) ok = %v, want %v", tc.path, ok, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		if c.Path != tc.canonical || c.Effects != tc.effects {
			t.Errorf("LookupSDKCall(%q) = %s (%v), want %s (%v)", tc.path, c.Path, c.Effects, tc.canonical, tc.effects)
		}
	}
}

func TestOverwriteWhen(t *testing.T) {
	for path, want := range map[string]string{
		"files.upload":                  "overwrite=True",
		"data_modeling.instances.apply": "replace=True",
		"assets.upsert":                 `mode="replace"`,
	} {
		c, _ := LookupSDKCall(path)
		if strings.Join(c.OverwriteWhen, ",") != want {
			t.Errorf("%s: OverwriteWhen %v, want %s", path, c.OverwriteWhen, want)
		}
	}
}

func TestEffectString(t *testing.T) {
	if got := (EffectDelete | EffectPrivilege).String(); got != "delete|privilege" {
		t.Errorf("got %q", got)
	}
}
