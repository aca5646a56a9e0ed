"""The codebook library: the model, YAML and REFI-QDA (.qdc) files, the JSON Schema, and pure edits.

No database code lives here; `coding.store` persists codebooks built with these objects.
"""

from coding.codebook.edit import UNSET, add_code, delete_code, merge_codes, move_code, update_code
from coding.codebook.ids import code_id_from_name, unique_code_id
from coding.codebook.model import CODE_ID_PATTERN, COLOR_PATTERN, GUID_PATTERN, Code, Codebook
from coding.codebook.qdc import parse_refi_xml, read_qdc, save_qdc, write_qdc
from coding.codebook.refi_codes import (
    CODEBOOK_NS,
    CODEBOOK_NS_ATLAS_0_4,
    PROJECT_NS,
    code_guid,
    codebook_from_refi_codes,
    derived_guid,
    refi_codes_element,
)
from coding.codebook.schema import codebook_json_schema, codebook_json_schema_text, write_codebook_json_schema
from coding.codebook.yaml_io import (
    codebook_from_yaml_text,
    codebook_to_plain,
    dump_codebook_yaml,
    load_codebook_yaml,
    save_codebook_yaml,
)

__all__ = [
    "CODEBOOK_NS",
    "CODEBOOK_NS_ATLAS_0_4",
    "CODE_ID_PATTERN",
    "COLOR_PATTERN",
    "GUID_PATTERN",
    "PROJECT_NS",
    "UNSET",
    "Code",
    "Codebook",
    "add_code",
    "code_guid",
    "code_id_from_name",
    "codebook_from_refi_codes",
    "codebook_from_yaml_text",
    "codebook_json_schema",
    "codebook_json_schema_text",
    "codebook_to_plain",
    "delete_code",
    "derived_guid",
    "dump_codebook_yaml",
    "load_codebook_yaml",
    "merge_codes",
    "move_code",
    "parse_refi_xml",
    "read_qdc",
    "refi_codes_element",
    "save_codebook_yaml",
    "save_qdc",
    "unique_code_id",
    "update_code",
    "write_codebook_json_schema",
    "write_qdc",
]
