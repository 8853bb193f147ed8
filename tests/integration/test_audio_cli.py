"""``python -m console audio ...`` as real subprocesses, in the forms other checks rely on."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.audio import need


ROOT = Path(__file__).resolve().parents[2]
IMPORT_KEYS = ["file", "ok", "id", "sha256", "duration_ms", "lufs", "true_peak_db", "error"]


def audio(*args, data_dir, user="hoa", role="editor"):
    env = {**os.environ, "TT_DATA_DIR": str(data_dir), "TT_USER_NAME": user, "TT_USER_ROLE": role}
    return subprocess.run([sys.executable, "-m", "console", "audio", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def one_line_error(r, text):
    assert r.returncode != 0 and "Traceback" not in r.stderr, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and text in lines[0], r.stderr


def test_import_prints_one_object_per_file_and_fails_if_any_failed(audio_files, tmp_path):
    good, bad = audio_files["mp3"], audio_files["empty.mp3"]
    r = audio("import", good, bad, "--json", data_dir=tmp_path)
    assert r.returncode == 1, r.stderr
    first, second = (json.loads(line) for line in r.stdout.splitlines())
    assert list(first) == IMPORT_KEYS and list(second) == IMPORT_KEYS
    assert first["ok"] is True and first["error"] is None and first["file"] == str(good)
    assert first["sha256"] == hashlib.sha256(good.read_bytes()).hexdigest()
    assert first["duration_ms"] == pytest.approx(3000, abs=60) and first["lufs"] < -20
    assert second == {"file": str(bad), "ok": False, "id": None, "sha256": None, "duration_ms": None,
                      "lufs": None, "true_peak_db": None, "error": f"{bad}: file is empty (0 bytes)"}
    again = audio("import", good, "--json", data_dir=tmp_path)
    assert again.returncode == 0 and json.loads(again.stdout)["id"] == first["id"]
    listed = audio("list", "--json", data_dir=tmp_path)
    [item] = json.loads(listed.stdout)
    assert (item["id"], item["state"], item["title"], item["sha256"]) == (first["id"], "draft", "speech",
                                                                          first["sha256"])


def test_approval_as_the_configured_user(audio_files, tmp_path):
    item = json.loads(audio("import", audio_files["wav"], "--json", data_dir=tmp_path).stdout)["id"]
    submitted = audio("submit", item, "--json", data_dir=tmp_path)
    assert submitted.returncode == 0 and json.loads(submitted.stdout)["state"] == "submitted"
    one_line_error(audio("approve", item, "--json", data_dir=tmp_path), "error: hoa (editor) may not approve items.")
    approved = audio("approve", item, "--note", "Đã duyệt", "--json", data_dir=tmp_path, user="lan", role="approver")
    assert approved.returncode == 0 and json.loads(approved.stdout)["state"] == "approved"
    one_line_error(audio("reject", item, "--note", "late", data_dir=tmp_path, user="lan", role="approver"),
                   "error: An item that is approved cannot be rejected; only submitted items can.")
    one_line_error(audio("approve", 999, data_dir=tmp_path, role="admin"), "error: There is no audio item 999.")


def test_render_writes_the_file_and_prints_its_descriptor(audio_files, tmp_path):
    item = json.loads(audio("import", need(audio_files, "ogg"), "--json", data_dir=tmp_path).stdout)["id"]
    out = tmp_path / "out.opus"
    r = audio("render", item, "--out", out, "--format", "opus", "--lufs", "-18", "--true-peak", "-2", "--json",
              data_dir=tmp_path)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest() and d["bytes"] == out.stat().st_size
    assert (d["codec"], d["name"]) == ("opus", f"{d['sha256']}.opus")
    assert d["lufs"] == pytest.approx(-18, abs=1.0) and d["true_peak_db"] <= -1.5
    assert (tmp_path / "media" / d["sha256"][:2] / d["name"]).read_bytes() == out.read_bytes()
