"""Pit SDK for Pipekit tasks: ``from pit import sdk`` and call ``sdk.get_secret("key")``."""

from . import sdk
from .sdk import PitSDKError, get_secret, get_secret_field

__all__ = ["sdk", "PitSDKError", "get_secret", "get_secret_field"]
__version__ = "1.0.0"
