"""The reviewable glossary of movement terms: files, enforcement around any engine, the compliance report."""

from __future__ import annotations

from .enforce import Protected, protect, restore, verify
from .terms import Glossary, Term, load_glossary

__all__ = ["Glossary", "Protected", "Term", "load_glossary", "protect", "restore", "verify"]
