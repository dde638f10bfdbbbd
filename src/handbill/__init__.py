"""handbill: bilingual print layouts, Word files and audio readings from a community leaflet, offline."""

__version__ = "0.1.0"
