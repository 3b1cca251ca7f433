"""The README's example proxy config (deploy/nginx.conf) is valid nginx (``nginx -t``, with
Debian's nginx that ``make test`` installs), and it does what the README says a proxy in front
must: buffer requests and answers, limit bodies, headers and slow clients, limit exports per
client, and log paths without query strings or Referer."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from .conftest import ROOT

CONFIG = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


def _directives(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for statement in re.sub(r"#[^\n]*", "", text).replace("{", ";").replace("}", ";").split(";"):
        words = statement.split()
        if words:
            found.setdefault(words[0], []).append(" ".join(words[1:]))
    return found


def test_nginx_accepts_the_example_config(tmp_path):
    if NGINX is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is missing: make system-deps installs Debian's nginx-core")
        pytest.skip("nginx is not installed (make test installs it)")
    (tmp_path / "logs").mkdir()  # the example's log folder, here
    text = CONFIG.read_text().replace("/var/log/nginx/", f"{tmp_path}/logs/")
    (tmp_path / "routemap.conf").write_text(text)
    wrapper = tmp_path / "nginx.conf"
    wrapper.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    include {tmp_path}/routemap.conf;\n}}\n"
    )
    result = subprocess.run(
        [NGINX, "-t", "-c", str(wrapper), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_the_example_config_buffers_limits_and_keeps_answers_out_of_the_log():
    d = _directives(CONFIG.read_text())
    assert d["proxy_request_buffering"] == ["on", "on"]
    assert d["proxy_buffering"] == ["on", "on"]
    assert d["client_max_body_size"] == ["1m"]
    assert d["client_header_timeout"] == ["10s"] and d["client_body_timeout"] == ["10s"]
    assert "send_timeout" in d and "limit_conn" in d
    assert any("zone=routemap_exports" in z for z in d["limit_req"])
    assert d["proxy_set_header"].count("X-Forwarded-For $remote_addr") == 2
    (log_format,) = d["log_format"]
    assert "$uri" in log_format
    for leak in ("$request ", "$request_uri", "$args", "$query_string", "$http_referer"):
        assert leak not in log_format + " "
    assert d["access_log"] == ["/var/log/nginx/routemap.access.log routemap"]
