from .cdf_io import fetch_events, write_summary
from .transform import summarise

__all__ = ["fetch_events", "write_summary", "summarise"]
