import boto3

from config import AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, BUCKET


def handle(client, data):
    s3 = boto3.client("s3", aws_access_key_id=AWS_ACCESS_KEY_ID, aws_secret_access_key=AWS_SECRET_ACCESS_KEY, region_name="eu-west-1")
    for f in client.files.list(mime_type="application/pdf", limit=50):
        s3.put_object(Bucket=BUCKET, Key=f.name, Body=client.files.download_bytes(id=f.id))
    return {"ok": True}
