"""JSON Schemas of the data files, generated from the pydantic models.

They are kept in ``graph_data/schema/`` so editors (VS Code's YAML extension and others)
autocomplete and check the files as they are typed; a test keeps them current.
"""

from __future__ import annotations

import json
from pathlib import Path

from .models import FILES

SCHEMA_DIR = "schema"


def schema_documents() -> dict[str, str]:
    """file name (e.g. 'stations.schema.json') -> JSON text."""
    out = {}
    for file, model in FILES.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"routemap {file}"
        name = file.replace(".yaml", ".schema.json")
        out[name] = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return out


def write_schemas(data_dir: Path) -> list[Path]:
    from .atomic import write_text_atomic

    target = data_dir / SCHEMA_DIR
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_documents().items():
        path = target / name
        write_text_atomic(path, text)
        written.append(path)
    return written


def stale_schemas(data_dir: Path) -> list[str]:
    target = data_dir / SCHEMA_DIR
    stale = []
    for name, text in schema_documents().items():
        path = target / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    return stale
