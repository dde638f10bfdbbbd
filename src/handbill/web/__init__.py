"""`handbill serve`: a local web app for organizers, translators and listeners, on the library API.

Pages are rendered on the server (Starlette + Jinja2); a little plain JavaScript from static/ saves edits
and polls job progress. Everything lives under one data folder; nothing is fetched from the network.
"""

from __future__ import annotations

from .app import Settings, create_app

__all__ = ["Settings", "create_app"]
