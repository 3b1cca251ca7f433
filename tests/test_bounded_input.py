"""Deep or huge input (issue 24, fault 3): every parser of outside input has limits of depth
and number length, and answers 400/422 naming what is wrong — never a 500, never a traceback
in the response or the log; the CLI the same."""

from __future__ import annotations

import io
import logging
import subprocess
import sys

import pytest

from routemap.boundedparse import (
    MAX_DEPTH,
    MAX_DIGITS,
    TooComplex,
    Unreadable,
    load_json,
    load_yaml,
)
from routemap.web import create_app

from .conftest import MINI, ROOT

DEEP_JSON = "[" * 1000 + "]" * 1000
DEEP_YAML = "x: " + "[" * 900 + "]" * 900 + "\n"
LONG_NUMBER = "9" * 5000


@pytest.fixture(scope="module")
def client():
    return create_app({"DATA_DIR": MINI}).test_client()


# ---- the parsers ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "words"),
    [
        (DEEP_JSON, f"nested more than {MAX_DEPTH} levels deep"),
        ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "nested more than"),
        ('{"a": ' + LONG_NUMBER + "}", f"a number longer than {MAX_DIGITS} digits"),
        ('{"a": 1.' + LONG_NUMBER + "}", "a number longer than"),
    ],
)
def test_json_beyond_a_limit_is_refused_by_name(text, words):
    with pytest.raises(TooComplex) as caught:
        load_json(text)
    assert words in caught.value.message


def test_json_within_the_limits_reads_as_json():
    nested = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert load_json(nested) is not None
    assert load_json('{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "n": -12, "f": 1.5}') == {
        "a": "[" * 38,
        "n": -12,
        "f": 1.5,
    }
    with pytest.raises(Unreadable) as caught:
        load_json('{"a": 1,\n "b": }')
    assert caught.value.line == 2
    with pytest.raises(Unreadable):
        load_json('{"a": NaN}')


@pytest.mark.parametrize(
    ("text", "words", "line"),
    [
        (DEEP_YAML, "nested more than", 1),
        ("a:\n" + "".join("  " * i + "- b:\n" for i in range(40)), "nested more than", 17),
        ("a: " + LONG_NUMBER, "a number longer than", 1),
        ("a: 1\nb: 0x" + "f" * 40, "a number longer than", 2),
        ("a: &x [1]\nb: *x\n", "YAML aliases (*x) are not allowed", 2),
    ],
)
def test_yaml_beyond_a_limit_is_refused_by_name_and_line(text, words, line):
    with pytest.raises(TooComplex) as caught:
        load_yaml(text)
    assert words in caught.value.message
    assert caught.value.line == line


def test_yaml_within_the_limits_reads_as_yaml():
    # a long string of digits in quotes, or with commas, is text, not a number
    assert load_yaml("a: '" + "9" * 50 + "'\nb: " + ",".join("1" * 20)) == {
        "a": "9" * 50,
        "b": ",".join("1" * 20),
    }


# ---- the API and Dash's callbacks -------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('{"answers": ' + DEEP_JSON + "}", "nested more than"),
        ('{"answers": {"staff_count": ' + LONG_NUMBER + "}}", "a number longer than"),
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/route", "/api/v1/next", "/api/v1/whatif"])
def test_the_api_answers_deep_or_huge_json_with_400_naming_it(client, caplog, path, body, words):
    with caplog.at_level(logging.INFO):
        r = client.post(path, data=body, content_type="application/json")
    assert r.status_code == 400
    error = r.get_json()["error"]
    assert error["code"] == "too_complex"
    assert words in error["message"]
    assert "Traceback" not in caplog.text and "RecursionError" not in caplog.text


def test_a_deep_callback_request_gets_400_naming_it(client, caplog):
    with caplog.at_level(logging.INFO):
        r = client.post(
            "/_explorer/_dash-update-component", data=DEEP_JSON, content_type="application/json"
        )
    assert r.status_code == 400
    assert "nested more than" in r.get_json()["error"]["message"]
    assert "RecursionError" not in caplog.text


# ---- answers files: the page, the CLI, the data files ---------------------------------------
UPLOADS = [
    (DEEP_YAML.encode(), "deep.yaml", "nested more than 32 levels deep"),
    (b"staff_count: " + LONG_NUMBER.encode(), "long.yaml", "a number longer than 30 digits"),
    (b'{"staff_count": ' + LONG_NUMBER.encode() + b"}", "long.json", "a number longer than"),
    (DEEP_JSON.encode(), "deep.json", "nested more than"),
]


@pytest.mark.parametrize(("data", "name", "words"), UPLOADS)
def test_an_uploaded_answers_file_beyond_a_limit_is_named_on_the_page(
    client, caplog, data, name, words
):
    with caplog.at_level(logging.INFO):
        r = client.post(
            "/route/answers-file",
            data={"file": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
        )
    assert r.status_code < 500
    page = r.get_data(as_text=True)
    assert words in page and name in page
    assert "Traceback" not in caplog.text and "Error" not in caplog.text


@pytest.mark.parametrize(("data", "name", "words"), UPLOADS)
def test_the_cli_names_an_answers_file_beyond_a_limit(tmp_path, data, name, words):
    path = tmp_path / name
    path.write_bytes(data)
    result = subprocess.run(
        [sys.executable, "-m", "routemap", "--data", str(MINI), "route", "--answers", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 2
    assert words in result.stderr and str(path) in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("info:\n  title: " + "[" * 200 + "]" * 200 + "\n", "nested more than 32 levels deep"),
        ("info:\n  version: " + LONG_NUMBER + "\n", "a number longer than 30 digits"),
    ],
)
def test_validate_names_a_data_file_beyond_a_limit(data_copy, text, words):
    data = data_copy()
    (data / "map.yaml").write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "routemap", "validate", str(data)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 1
    assert f"map.yaml: {words}" in result.stdout
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
