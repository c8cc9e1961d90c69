import requests

WEATHER = "https://api.weather.example/v1/forecast"


def handle(client, data, secrets):
    key = secrets["weather-key"]
    resp = requests.get(WEATHER, params={"lat": data["lat"], "lon": data["lon"]}, headers={"X-Api-Key": key}, timeout=20)
    if resp.status_code != 200:
        raise RuntimeError(f"weather API refused key {key}: {resp.status_code}")
    return resp.json()
