from cognite.client.data_classes import Group


def handle(client, data):
    caps = [{"groupsAcl": {"actions": ["CREATE"], "scope": {"all": {}}}}]
    client.iam.groups.create(Group(name="ops", capabilities=caps))  # want: privilege-change:critical needs=groupsAcl:CREATE
    client.iam.groups.delete(id=data["group"])  # want: privilege-change:critical needs=groupsAcl:DELETE
    session = client.iam.sessions.create(session_type="ONESHOT_TOKEN_EXCHANGE")  # want: privilege-change:high needs=sessionsAcl:CREATE
    client.iam.sessions.revoke(id=session.id)  # want: privilege-change:high needs=sessionsAcl:DELETE
    client.iam.security_categories.delete(id=3)  # want: privilege-change:high
    client.functions.call(external_id="heavy-job", data={"nonce": session.nonce})  # want: privilege-change:medium needs=functionsAcl:RUN needs=sessionsAcl:CREATE
    client.functions.call(external_id=data["target"])  # want: privilege-change:high
    client.functions.schedules.create(name="m", cron_expression="* * * * *", function_external_id="x")  # want: privilege-change:high needs=functionsAcl:WRITE
    client.functions.create(name="dropper", folder=".")  # want: privilege-change:high needs=functionsAcl:WRITE needs=filesAcl:WRITE
    client.transformations.run(transformation_external_id="tr")  # want: privilege-change:medium needs=transformationsAcl:WRITE
    client.workflows.executions.run("wf", "1")  # want: privilege-change:medium needs=workflowOrchestrationAcl:WRITE
    client.workflows.executions.trigger("wf", "1")  # want: privilege-change:medium
    client.workflows.triggers.create(trigger)  # want: privilege-change:high needs=sessionsAcl:CREATE
    return {}
