"""REFI-QDA projects (.qdpx): export a qcode project for NVivo, ATLAS.ti, MAXQDA or QualCoder, and import theirs.

Codebooks alone (.qdc) live in `coding.codebook.qdc`.
"""

from coding.refi.archive import MAX_TOTAL_BYTES, QdpxArchive, QdpxError
from coding.refi.qdpx_export import project_xml, qdpx_bytes
from coding.refi.qdpx_import import QdpxImportReport, import_qdpx

__all__ = ["MAX_TOTAL_BYTES", "QdpxArchive", "QdpxError", "QdpxImportReport", "import_qdpx", "project_xml",
           "qdpx_bytes"]
