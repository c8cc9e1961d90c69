from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Iterable, Optional

from cognite.client import CogniteClient
from cognite.client.data_classes import Asset, EventWrite

logger = logging.getLogger("kpi")


@dataclass(frozen=True)
class Settings:
    root_external_id: str
    window: str = "1d-ago"
    threshold: float = 0.8
    tags: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_data(cls, data: dict) -> "Settings":
        return cls(
            root_external_id=data["root"],
            window=data.get("window", "1d-ago"),
            threshold=float(data.get("threshold", 0.8)),
            tags=tuple(data.get("tags", ())),
        )


@dataclass
class Utilisation:
    asset: Asset
    value: Optional[float]


class KpiService:
    def __init__(self, client: CogniteClient, settings: Settings) -> None:
        self._client = client
        self._settings = settings

    def assets(self) -> list[Asset]:
        return list(self._client.assets.retrieve_subtree(external_id=self._settings.root_external_id))

    def _utilisation(self, asset: Asset) -> Utilisation:
        series = self._client.time_series.list(asset_ids=[asset.id], metadata={"kpi": "utilisation"}, limit=1)
        if not series:
            return Utilisation(asset, None)
        dps = self._client.time_series.data.retrieve(
            id=series[0].id, start=self._settings.window, end="now", aggregates="average", granularity="1d"
        )
        return Utilisation(asset, dps.average[-1] if dps.average else None)

    async def _one(self, asset: Asset) -> Utilisation:
        return await asyncio.to_thread(self._utilisation, asset)

    async def gather(self, assets: Iterable[Asset]) -> list[Utilisation]:
        return await asyncio.gather(*(self._one(a) for a in assets))

    def record_low(self, results: list[Utilisation]) -> int:
        low = [r for r in results if r.value is not None and r.value < self._settings.threshold]
        events = [
            EventWrite(
                external_id=f"low-util:{r.asset.external_id}",
                type="kpi",
                subtype="low-utilisation",
                asset_ids=[r.asset.id],
                metadata={"value": f"{r.value:.3f}"},
            )
            for r in low
        ]
        if events:
            self._client.events.upsert(events, mode="replace")
        return len(events)


def handle(client: CogniteClient, data: dict) -> dict:
    service = KpiService(client, Settings.from_data(data))
    results = asyncio.run(service.gather(service.assets()))
    flagged = service.record_low(results)
    logger.info("checked %d assets, %d below threshold", len(results), flagged)
    return {"checked": len(results), "flagged": flagged}
