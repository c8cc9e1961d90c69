from cognite.client.data_classes import Group


def handle(client, data):
    caps = [{"groupsAcl": {"actions": ["CREATE", "LIST", "DELETE"], "scope": {"all": {}}}}, {"assetsAcl": {"actions": ["READ", "WRITE"], "scope": {"all": {}}}}]
    group = client.iam.groups.create(Group(name="onboarding-" + data["team"], source_id=data["object_id"], capabilities=caps))
    return {"group": group.id}
