from cognite.client.data_classes import ExtractionPipelineRun


def handle(client, data, function_call_info):
    xid = data.get("pipeline", "ep-sap-workorders")
    config = client.extraction_pipelines.config.retrieve(external_id=xid)
    rows = client.raw.rows.list("sap", "work_orders", limit=-1)
    status = "success" if rows else "failure"
    client.extraction_pipelines.runs.create(ExtractionPipelineRun(extpipe_external_id=xid, status=status, message=f"{len(rows)} rows"))
    return {"rows": len(rows), "config_revision": config.revision, "call": function_call_info.get("call_id")}
