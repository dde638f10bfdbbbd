"""`handbill doctor`: what is installed, what is missing, and how to install it."""

from __future__ import annotations


def collect() -> dict:
    return {}


def format_report(report: dict) -> str:
    return ""
