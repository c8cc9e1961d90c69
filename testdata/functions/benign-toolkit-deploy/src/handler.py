from src.checks import check_gaps


def handle(client, data):
    gaps = check_gaps(client, data.get("external_ids", []))
    return {"gaps": gaps}
