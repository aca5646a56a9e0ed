"""Transcript readers: one small module per format behind the `Reader` interface.

A new format is one new file that defines a reader and registers it in `registry.py`.
"""

from coding.readers.base import Reader
from coding.readers.registry import READERS, reader_for, supported_extensions

__all__ = ["Reader", "READERS", "reader_for", "supported_extensions"]
