"""The command-line forms other checks rely on, and mutual TLS between station and collector."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from provhelpers import add_records, station_records

from console.province import store
from console.province.server import CollectorServer, tls_context
from console.sync import credentials
from console.sync.client import HttpProvince
from console.sync.worker import SyncWorker

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, data: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "TT_DATA_DIR": str(data)}
    r = subprocess.run([sys.executable, "-m", "console", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=120, check=False)
    if check:
        assert r.returncode == 0, r.stderr
    return r


def test_province_and_sync_commands(tmp_path, sqlite_collector):
    url = sqlite_collector.db_url
    data = tmp_path / "station"
    added = json.loads(cli("province", "token", "add", "st", "--db", url, "--json", data=data).stdout)
    assert added["station"] == "st" and len(added["token"]) >= 40
    sent = json.loads(cli("province", "bulletin", "send", "--db", url, "--station", "st", "--priority", "normal",
                          "--title", "Thông báo", "--text", "Họp dân", "--target", "26734", "--json", data=data).stdout)
    assert (sent["id"], sent["priority"], sent["targets"], sent["media"]) == (1, "normal", ["26734"], None)
    bad = cli("province", "bulletin", "send", "--db", url, "--station", "nobody", "--priority", "normal", "--title", "T",
              "--text", "x", "--json", data=data, check=False)
    assert bad.returncode == 1 and bad.stderr.startswith("error: There is no station nobody")
    listed = json.loads(cli("province", "--db", url, "token", "list", "--json", data=data).stdout)
    assert [(s["station"], s["tokens"]) for s in listed] == [("st", 1)]

    run = cli("sync", "run", "--province", sqlite_collector.url, "--token", added["token"], "--station", "st",
              "--once", "--json", data=data)
    assert json.loads(run.stdout) == {"shipped": 1, "acked_through": 1, "backlog": 0, "bulletins": 1}  # inventory
    status = json.loads(cli("sync", "status", "--json", data=data).stdout)
    assert (status["backlog"], status["inbox"], status["last_error"]) == (0, {"waiting": 1}, "")

    down = cli("sync", "run", "--province", "http://127.0.0.1:9", "--token", "x", "--station", "st", "--once", "--json",
               data=data, check=False)
    assert down.returncode == 1 and "no answer from the province" in down.stderr
    assert cli("sync", "run", "--station", "st", "--once", data=data, check=False).returncode == 2  # no province


def test_the_token_is_kept_in_the_keyring_or_a_private_file(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(credentials, "_keyring", lambda: None)  # as on a server without a keyring
    where = credentials.save_token(tmp_path, "st", "s3cret")
    assert Path(where).stat().st_mode & 0o777 == 0o600
    assert "plain text" in caplog.text
    assert credentials.load_token(tmp_path, "st") == "s3cret"

    class Ring:
        def __init__(self) -> None:
            self.store: dict[tuple[str, str], str] = {}

        def set_password(self, service, user, secret):
            self.store[(service, user)] = secret

        def get_password(self, service, user):
            return self.store.get((service, user))
    ring = Ring()
    monkeypatch.setattr(credentials, "_keyring", lambda: ring)
    assert credentials.save_token(tmp_path, "st", "better") == "keyring"
    assert not Path(where).exists() and credentials.load_token(tmp_path, "st") == "better"


@pytest.mark.skipif(not shutil.which("openssl"), reason="needs the openssl command to make certificates")
def test_mutual_tls_without_a_token(tmp_path, station_db):
    def ssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=tmp_path, check=True, capture_output=True)
    ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=Province CA")
    for name, cn, ext in (("server", "127.0.0.1", "subjectAltName=IP:127.0.0.1"), ("st", "st", None),
                          ("other", "other", None)):
        ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={cn}")
        extra = ["-extfile", "ext.cnf"] if ext else []
        if ext:
            (tmp_path / "ext.cnf").write_text(ext + "\n")
        ssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", f"{name}.pem", "-days", "2", *extra)
    db = store.open_collector(f"sqlite:///{tmp_path / 'province.db'}")
    with db.sessions.begin() as s:
        store.add_token(s, "st")  # the station is known; it will not use its token
    server = CollectorServer(db, port=0, ssl_context=tls_context(str(tmp_path / "server.pem"), str(tmp_path / "server.key"),
                                                                 str(tmp_path / "ca.pem"))).start()
    try:
        add_records(station_db, 50)
        url = f"https://127.0.0.1:{server.port}"
        ca, crt = str(tmp_path / "ca.pem"), lambda n: (str(tmp_path / f"{n}.pem"), str(tmp_path / f"{n}.key"))
        good = HttpProvince(url, "st", cert=crt("st")[0], key=crt("st")[1], ca=ca)
        assert asyncio.run(SyncWorker(station_db, good).drain())["acked_through"] == 51
        with db.sessions() as s:
            assert s.get(store.Station, "st").acked_through == 51
        wrong = HttpProvince(url, "st", cert=crt("other")[0], key=crt("other")[1], ca=ca)
        with pytest.raises(Exception, match="401"):
            asyncio.run(SyncWorker(station_db, wrong).drain())
    finally:
        server.stop()
        db.close()
    assert len(station_records(station_db)) == 51
