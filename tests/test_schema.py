"""The published JSON Schemas are current and accept the real data files."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from routemap.schema import schema_documents, stale_schemas

from .conftest import DATA, MINI


def test_committed_schemas_are_current():
    assert stale_schemas(DATA) == [], "run 'routemap schema' and commit graph_data/schema/"


@pytest.mark.parametrize("name", sorted(schema_documents()))
@pytest.mark.parametrize("directory", [DATA, MINI], ids=["real", "mini"])
def test_schema_accepts_the_data(name, directory):
    schema = json.loads(schema_documents()[name])
    data_file = directory / name.replace(".schema.json", ".yaml")
    data = yaml.safe_load(data_file.read_text(encoding="utf-8"))
    # YAML dates become date objects; the schema describes their ISO text.
    data = json.loads(json.dumps(data, default=str))
    jsonschema.validate(data, schema)


def test_schema_refuses_unknown_keys():
    schema = json.loads(schema_documents()["lines.schema.json"])
    bad = {"lines": [{"id": "x", "colr": "#000000"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_every_data_file_points_editors_at_its_schema():
    for name in schema_documents():
        data_file = DATA / name.replace(".schema.json", ".yaml")
        first = data_file.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=schema/{name}"
