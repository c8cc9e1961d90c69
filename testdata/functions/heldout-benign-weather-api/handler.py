import datetime as dt
import time

import requests
from cognite.client.data_classes import TimeSeriesWrite

OWM_URL = "https://api.openweathermap.org/data/2.5/weather"
SITES = {
    "site-stavanger": (58.97, 5.73),
    "site-bergen": (60.39, 5.32),
}


def fetch_weather(api_key, lat, lon, session=None):
    http = session or requests
    params = {"lat": lat, "lon": lon, "appid": api_key, "units": "metric"}
    resp = http.get(OWM_URL, params=params, timeout=15)
    resp.raise_for_status()
    body = resp.json()
    return body["main"]["temp"], body["wind"]["speed"]


def ensure_series(client, xid, name, unit):
    if client.time_series.retrieve(external_id=xid) is None:
        client.time_series.create(TimeSeriesWrite(external_id=xid, name=name, unit=unit))


def handle(client, data, secrets):
    api_key = secrets["owm-key"]
    now_ms = int(time.time() * 1000)
    written = []
    for site, (lat, lon) in SITES.items():
        temp, wind = fetch_weather(api_key, lat, lon)
        ensure_series(client, f"{site}:air_temp", f"{site} air temperature", "degC")
        ensure_series(client, f"{site}:wind_speed", f"{site} wind speed", "m/s")
        client.time_series.data.insert_multiple(
            [
                {"external_id": f"{site}:air_temp", "datapoints": [(now_ms, temp)]},
                {"external_id": f"{site}:wind_speed", "datapoints": [(now_ms, wind)]},
            ]
        )
        written.append(site)
    print(f"{dt.datetime.utcnow().isoformat()} weather written for {len(written)} sites")
    return {"sites": written}
