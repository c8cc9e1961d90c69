from .config import load_config
from .transform import to_assets

__all__ = ["load_config", "to_assets"]
