package cdf

import (
	"strings"
	"testing"
)

// TestLookupRawRequest maps raw REST calls, as code writes them, to the SDK
// call that sends the same request.
func TestLookupRawRequest(t *testing.T) {
	for _, tc := range []struct {
		method, url, call string // call "" = unknown
	}{
		// The forms code uses: full URL, project path, path relative to the project, f-string holes.
		{"POST", "https://api.cognitedata.com/api/v1/projects/acme/assets/delete", "assets.delete"},
		{"POST", "/api/v1/projects/{p}/assets/delete", "assets.delete"},
		{"POST", "/api/v1/projects/{…}/assets/delete", "assets.delete"},
		{"POST", "/assets/delete", "assets.delete"},
		{"POST", "assets/delete", "assets.delete"},
		{"POST", "{…}/assets/delete", "assets.delete"},
		{"POST", "{…}/api/v1/projects/{…}/assets/delete", "assets.delete"},
		{"post", "/assets/delete?ignoreUnknownIds=true", "assets.delete"},
		{"POST", "https://{…}.cognitedata.com/api/v1/projects/{…}/groups", "iam.groups.create"},
		{"GET", "https://westeurope-1.cognitedata.com/api/v1/token/inspect", "iam.token.inspect"},
		// Standard verbs of resources.
		{"GET", "/assets", "assets.list"},
		{"POST", "/assets/list", "assets.list"},
		{"POST", "/assets/byids", "assets.retrieve_multiple"},
		{"GET", "/assets/123", "assets.retrieve"},
		{"GET", "/assets/{…}", "assets.retrieve"},
		{"POST", "/assets/search", "assets.search"},
		{"POST", "/assets/aggregate", "assets.aggregate"},
		{"POST", "/assets", "assets.create"},
		{"POST", "/assets/update", "assets.update"},
		{"POST", "/events/delete", "events.delete"},
		{"POST", "/events", "events.create"},
		{"POST", "/timeseries/delete", "time_series.delete"},
		{"POST", "/timeseries/data", "time_series.data.insert"},
		{"POST", "/timeseries/data/list", "time_series.data.retrieve"},
		{"POST", "/timeseries/data/latest", "time_series.data.retrieve_latest"},
		{"POST", "/timeseries/data/delete", "time_series.data.delete_range"},
		{"POST", "/timeseries/synthetic/query", "time_series.data.synthetic.query"},
		{"POST", "/timeseries/subscriptions", "time_series.subscriptions.create"},
		{"POST", "/timeseries/subscriptions/delete", "time_series.subscriptions.delete"},
		{"POST", "/sequences/data", "sequences.data.insert"},
		{"POST", "/sequences/data/delete", "sequences.data.delete"},
		{"POST", "/files/downloadlink", "files.retrieve_download_urls"},
		{"POST", "/files", "files.create"},
		{"POST", "/files/delete", "files.delete"},
		{"GET", "/raw/dbs", "raw.databases.list"},
		{"POST", "/raw/dbs/delete", "raw.databases.delete"},
		{"GET", "/raw/dbs/mydb/tables", "raw.tables.list"},
		{"POST", "/raw/dbs/{…}/tables/delete", "raw.tables.delete"},
		{"GET", "/raw/dbs/db/tables/t/rows", "raw.rows.list"},
		{"POST", "/raw/dbs/db/tables/t/rows", "raw.rows.insert"},
		{"POST", "/raw/dbs/db/tables/t/rows/delete", "raw.rows.delete"},
		{"GET", "/raw/dbs/db/tables/t/rows/key1", "raw.rows.retrieve"},
		{"POST", "/datasets", "data_sets.create"},
		{"POST", "/datasets/update", "data_sets.update"},
		{"POST", "/relationships/delete", "relationships.delete"},
		{"POST", "/labels/delete", "labels.delete"},
		{"GET", "/groups", "iam.groups.list"},
		{"POST", "/groups", "iam.groups.create"},
		{"POST", "/groups/delete", "iam.groups.delete"},
		{"POST", "/securitycategories", "iam.security_categories.create"},
		{"POST", "/securitycategories/delete", "iam.security_categories.delete"},
		{"POST", "/sessions", "iam.sessions.create"},
		{"GET", "/sessions", "iam.sessions.list"},
		{"POST", "/sessions/revoke", "iam.sessions.revoke"},
		{"GET", "/profiles/me", "iam.user_profiles.me"},
		{"GET", "/functions", "functions.list"},
		{"POST", "/functions", "functions.create"},
		{"POST", "/functions/delete", "functions.delete"},
		{"GET", "/functions/limits", "functions.limits"},
		{"GET", "/functions/4503599627370496", "functions.retrieve"},
		{"POST", "/functions/{…}/call", "functions.call"},
		{"POST", "/functions/123/call", "functions.call"},
		{"GET", "/functions/123/calls/456/logs", "functions.calls.get_logs"},
		{"GET", "/functions/123/calls/456/response", "functions.calls.get_response"},
		{"POST", "/functions/schedules", "functions.schedules.create"},
		{"POST", "/functions/schedules/delete", "functions.schedules.delete"},
		{"GET", "/functions/schedules/9/input_data", "functions.schedules.get_input_data"},
		{"POST", "/models/instances", "data_modeling.instances.apply"},
		{"POST", "/models/instances/delete", "data_modeling.instances.delete"},
		{"POST", "/models/instances/query", "data_modeling.instances.query"},
		{"POST", "/models/spaces/delete", "data_modeling.spaces.delete"},
		{"POST", "/models/containers", "data_modeling.containers.apply"},
		{"POST", "/models/views/delete", "data_modeling.views.delete"},
		{"POST", "/models/datamodels", "data_modeling.data_models.apply"},
		{"POST", "/streams", "data_modeling.streams.create"},
		{"POST", "/streams/s1/records", "data_modeling.records.ingest"},
		{"POST", "/streams/s1/records/delete", "data_modeling.records.delete"},
		{"POST", "/transformations", "transformations.create"},
		{"POST", "/transformations/run", "transformations.run"},
		{"POST", "/transformations/{…}/run", "transformations.run"},
		{"POST", "/transformations/delete", "transformations.delete"},
		{"POST", "/transformations/schedules", "transformations.schedules.create"},
		{"POST", "/extpipes", "extraction_pipelines.create"},
		{"POST", "/extpipes/runs", "extraction_pipelines.runs.create"},
		{"POST", "/extpipes/config", "extraction_pipelines.config.create"},
		{"POST", "/workflows", "workflows.upsert"},
		{"POST", "/workflows/delete", "workflows.delete"},
		{"POST", "/workflows/wf/versions/1/run", "workflows.executions.run"},
		{"POST", "/workflows/executions/{…}/cancel", "workflows.executions.cancel"},
		{"POST", "/workflows/triggers", "workflows.triggers.upsert"},
		{"POST", "/hostedextractors/destinations", "hosted_extractors.destinations.create"},
		{"POST", "/3d/models", "three_d.models.create"},
		{"POST", "/3d/models/1/revisions/delete", "three_d.revisions.delete"},
		{"POST", "/3d/models/1/revisions/2/mappings", "three_d.asset_mappings.create"},
		{"POST", "/context/entitymatching/predict", "entity_matching.predict"},
		{"POST", "/context/diagram/detect", "diagrams.detect"},
		{"POST", "/documents/search", "documents.search"},
		{"POST", "/annotations/suggest", "annotations.suggest"},
		{"POST", "/geospatial/featuretypes/ft/features/delete", "geospatial.delete_features"},
		{"POST", "/context/vision/extract", "vision.extract"},
		{"POST", "/simulators/run", "simulators.runs.create"},
		{"POST", "/postgresgateway/users", "postgres_gateway.users.create"},
		{"POST", "/ai/agents/chat", "agents.chat"},
		{"GET", "/units", "units.list"},
		// Unknown: no such endpoint, a hole where a literal action must be,
		// a wrong method, or not a CDF path at all.
		{"POST", "/assets/{…}", ""},
		{"POST", "/assets/frobnicate", ""},
		{"DELETE", "/assets", ""},
		{"POST", "/{…}/delete", ""},
		{"POST", "{…}", ""},
		{"GET", "", ""},
		{"GET", "https://example.com/", ""},
		{"POST", "/frobnicate", ""},
		{"GET", "/" + strings.Repeat("a/", 5000), ""},
	} {
		c, ok := LookupRawRequest(tc.method, tc.url)
		if got := map[bool]string{true: c.Path, false: ""}[ok]; got != tc.call {
			t.Errorf("LookupRawRequest(%s, %q) = %q, want %q", tc.method, tc.url, got, tc.call)
		}
	}
}

// TestRESTCapabilities spot-checks that a raw request needs what the SDK call does.
func TestRESTCapabilities(t *testing.T) {
	c, ok := LookupRawRequest("POST", "/functions/1/call")
	if !ok || capString(c.Capabilities) != "functionsAcl:RUN sessionsAcl:CREATE" || !c.Effects.Has(EffectRunsCode) {
		t.Errorf("call: %+v %v", c, ok)
	}
	c, ok = LookupRawRequest("POST", "/groups")
	if !ok || capString(c.Capabilities) != "groupsAcl:CREATE" || !c.Effects.Has(EffectPrivilege) {
		t.Errorf("groups: %+v %v", c, ok)
	}
}
