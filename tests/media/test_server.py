"""MediaServer: the real aiohttp server on loopback, driven with http.client and urllib."""

from __future__ import annotations

import hashlib
import http.client
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from email.utils import formatdate

import pytest

from console.media.server import CACHE_FOREVER, MediaServer, MediaServerError, UrlSigner, media_path
from console.media.store import MediaStore
from fixtures.waiting import wait_until

SIZE = 300_000


@pytest.fixture
def store(tmp_path):
    return MediaStore(tmp_path / "media")


def put(store: MediaStore, ext: str = "mp3", size: int = SIZE) -> tuple[str, bytes]:
    data = os.urandom(size)
    src = store.root.parent / f"src.{ext}"
    src.write_bytes(data)
    return store.put(src, ext).sha256, data


@pytest.fixture
def server(store):
    srv = MediaServer(store.root).start()
    yield srv
    srv.stop()


def request(srv: MediaServer, path: str, method: str = "GET", headers: dict | None = None):
    """(status, headers, body) of one request on a fresh connection."""
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def test_full_get_head_and_headers(server, store):
    sha, data = put(store)
    url = server.url(sha, "mp3")
    assert url == f"http://127.0.0.1:{server.port}/media/{sha}.mp3"
    with urllib.request.urlopen(url, timeout=10) as resp:
        body = resp.read()
        assert resp.status == 200
        assert resp.headers["ETag"] == f'"{sha}"'
        assert resp.headers["Cache-Control"] == CACHE_FOREVER
        assert resp.headers["Content-Type"] == "audio/mpeg"
        assert resp.headers["Accept-Ranges"] == "bytes"
        assert resp.headers["Last-Modified"]
    assert body == data and hashlib.sha256(body).hexdigest() == sha

    status, headers, body = request(server, f"/media/{sha}.mp3", "HEAD")
    assert (status, body) == (200, b"")
    assert headers["Content-Length"] == str(SIZE) and headers["ETag"] == f'"{sha}"'
    assert wait_until(lambda: server.stats() == {"requests": 2, "bytes": SIZE, "errors": 0}), server.stats()


def test_ranges(server, store):
    sha, data = put(store)
    path = f"/media/{sha}.mp3"
    status, headers, body = request(server, path, headers={"Range": "bytes=100-199"})
    assert status == 206 and body == data[100:200]
    assert headers["Content-Range"] == f"bytes 100-199/{SIZE}"
    status, headers, body = request(server, path, headers={"Range": "bytes=-500"})  # the last 500 bytes
    assert status == 206 and body == data[-500:]
    assert headers["Content-Range"] == f"bytes {SIZE - 500}-{SIZE - 1}/{SIZE}"
    status, headers, body = request(server, path, headers={"Range": "bytes=1000-"})
    assert status == 206 and body == data[1000:]
    status, headers, _ = request(server, path, headers={"Range": f"bytes={SIZE}-"})
    assert status == 416 and headers["Content-Range"] == f"bytes */{SIZE}"
    assert "Cache-Control" not in headers


def test_conditional_requests_use_the_sha256_etag(server, store):
    sha, data = put(store)
    path = f"/media/{sha}.mp3"
    for inm in (f'"{sha}"', f'W/"{sha}"', f'"other", "{sha}"', "*"):
        status, headers, body = request(server, path, headers={"If-None-Match": inm})
        assert (status, body) == (304, b""), inm
        assert headers["ETag"] == f'"{sha}"' and headers["Cache-Control"] == CACHE_FOREVER
    status, _, body = request(server, path, headers={"If-None-Match": '"other"'})
    assert status == 200 and body == data
    # aiohttp's own ETag (mtime-size) means nothing here.
    st = os.stat(store.path(sha))
    status, _, _ = request(server, path, headers={"If-None-Match": f'"{st.st_mtime_ns:x}-{st.st_size:x}"'})
    assert status == 200
    # If-Range: a matching strong ETag keeps the range; another ETag (or a weak one) gets the whole file.
    status, _, body = request(server, path, headers={"Range": "bytes=0-9", "If-Range": f'"{sha}"'})
    assert status == 206 and body == data[:10]
    for if_range in ('"other"', f'W/"{sha}"'):
        status, _, body = request(server, path, headers={"Range": "bytes=0-9", "If-Range": if_range})
        assert status == 200 and body == data, if_range
    # Dates: If-Modified-Since after the file's time -> 304; If-Range with an older date -> whole file.
    later, earlier = formatdate(st.st_mtime + 60, usegmt=True), formatdate(st.st_mtime - 3600, usegmt=True)
    assert request(server, path, headers={"If-Modified-Since": later})[0] == 304
    status, _, body = request(server, path, headers={"Range": "bytes=0-9", "If-Range": earlier})
    assert status == 200 and body == data
    # If-Match: strong comparison; a failure is 412.
    assert request(server, path, headers={"If-Match": f'"{sha}"'})[0] == 200
    assert request(server, path, headers={"If-Match": '"other"'})[0] == 412


@pytest.mark.parametrize("ext, ctype", [("mp3", "audio/mpeg"), ("opus", "audio/ogg"), ("ogg", "audio/ogg"),
                                        ("m4a", "audio/mp4"), ("aac", "audio/aac"), ("wav", "audio/wav"),
                                        ("flac", "audio/flac"), ("amr", "application/octet-stream"),
                                        ("bin", "application/octet-stream")])
def test_content_types(server, store, ext, ctype):
    sha, _ = put(store, ext, size=1000)
    status, headers, _ = request(server, f"/media/{sha}.{ext}", "HEAD")
    assert status == 200 and headers["Content-Type"] == ctype


def test_bad_names_missing_files_and_traversal(server, store, tmp_path):
    sha, _ = put(store)
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    for name in (sha.upper() + ".mp3", sha[:63] + ".mp3", sha + ".MP3", sha + ".toolongext", sha, sha + ".",
                 sha + ".mp3.gz", "x" * 64 + ".mp3", "..%2F..%2Fsecret.txt", "%2E%2E"):
        status, _, body = request(server, "/media/" + name)
        assert status == 400, name
    assert request(server, f"/media/{'0' * 64}.mp3")[0] == 404
    assert request(server, f"/media/{sha}.ogg")[0] == 404  # same content, another name: not stored
    for path in ("/media/../secret.txt", "/media/../../secret.txt", "/media/%2e%2e/%2e%2e/secret.txt",
                 f"/media/{sha[:2]}/{sha}.mp3", "/secret.txt", "/media/", "/media"):
        status, _, body = request(server, path)
        assert status in (400, 404) and b"top secret" not in body, path
    stats = server.stats()
    assert stats["errors"] == stats["requests"] and stats["bytes"] == 0


def test_signed_urls(store):
    sha, data = put(store)
    with MediaServer(store.root, secret="s3cret") as srv:
        url = srv.url(sha, "mp3", expires_at=time.time() + 600)
        with urllib.request.urlopen(url, timeout=10) as resp:
            assert resp.read() == data
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
        exp, sig = query["exp"][0], query["sig"][0]
        assert sig == UrlSigner("s3cret").signature(media_path(sha, "mp3"), int(exp))
        path = f"/media/{sha}.mp3"
        tampered = sig[:-1] + ("0" if sig[-1] != "0" else "1")
        expired_exp = int(time.time()) - 10
        expired_sig = UrlSigner("s3cret").signature(path, expired_exp)
        other_sha, _ = put(store, size=100)
        for target in (path, f"{path}?exp={exp}", f"{path}?sig={sig}", f"{path}?exp={exp}&sig={tampered}",
                       f"{path}?exp={int(exp) + 1}&sig={sig}", f"{path}?exp={expired_exp}&sig={expired_sig}",
                       f"/media/{other_sha}.mp3?exp={exp}&sig={sig}",  # a signature of another file
                       f"{path}?exp={exp}&sig={UrlSigner('other').signature(path, int(exp))}",
                       f"{path}?exp=-1&sig={sig}", f"{path}?exp={exp}&sig=%C3%A9"):
            status, headers, _ = request(srv, target)
            assert status == 403, target
            assert "Cache-Control" not in headers
        assert request(srv, f"{path}?exp={exp}&sig={sig}", "HEAD")[0] == 200


def test_url_signer_alone():
    signer = UrlSigner(b"k")
    path = media_path("ab" * 32, "mp3")
    query = urllib.parse.parse_qs(signer.sign(path, 1_800_000_000.2))
    exp, sig = query["exp"][0], query["sig"][0]
    assert exp == "1800000001"  # rounded up: never shorter than asked
    assert signer.verify(path, exp, sig, now=1_800_000_000)
    assert signer.verify(path, int(exp), sig, now=1_800_000_001)
    assert not signer.verify(path, exp, sig, now=1_800_000_002)
    assert not signer.verify(path + "x", exp, sig, now=0)
    assert not signer.verify(path, None, sig) and not signer.verify(path, exp, None)
    with pytest.raises(ValueError):
        UrlSigner("")


def test_public_base_and_url_validation(store):
    srv = MediaServer(store.root, public_base="https://media.example.vn/media/")
    assert srv.url("ab" * 32, "mp3") == f"https://media.example.vn/media/{'ab' * 32}.mp3"
    with pytest.raises(ValueError):
        srv.url("AB" * 32, "mp3")
    with pytest.raises(ValueError):
        srv.url("ab" * 32, "../x")


def test_port_taken_is_a_clear_error(server, store):
    with pytest.raises(MediaServerError, match="(?i)address already in use") as err:
        MediaServer(store.root, port=server.port).start()
    assert isinstance(err.value, OSError)
    assert request(server, f"/media/{'0' * 64}.mp3")[0] == 404  # the first one still serves


def test_200_concurrent_downloads(server, store):
    files = [put(store, size=SIZE + i) for i in range(4)]
    results: list[bool] = []
    lock = threading.Lock()

    def download(i: int) -> None:
        sha, _ = files[i % len(files)]
        with urllib.request.urlopen(server.url(sha, "mp3"), timeout=30) as resp:
            ok = hashlib.sha256(resp.read()).hexdigest() == sha
        with lock:
            results.append(ok)

    threads = [threading.Thread(target=download, args=(i,)) for i in range(200)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 200 and all(results)
    # A handler counts its bytes once the file is handed to the kernel, maybe after the client has read it.
    want = {"requests": 200, "bytes": sum(SIZE + i % 4 for i in range(200)), "errors": 0}
    assert wait_until(lambda: server.stats() == want), server.stats()


def upload(srv: MediaServer, url: str, body: bytes | None = None, chunks=None):
    """(status, body) of a PUT of ``body``, or of ``chunks`` sent chunked, to ``url`` (a full URL)."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request("PUT", target, body=body if chunks is None else chunks, encode_chunked=chunks is not None,
                     headers={"Content-Type": "application/gzip"})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def test_device_logs_are_stored_whole_or_not_at_all(store, tmp_path, monkeypatch):
    logs = tmp_path / "logs"
    with MediaServer(store.root, logs_dir=logs, secret="s3cret") as srv:
        url = srv.logs_url("TT4G-00001")
        assert url.startswith(f"http://127.0.0.1:{srv.port}/logs/TT4G-00001/") and "&sig=" in url
        status, body = upload(srv, url, b"\x1f\x8b logs")
        assert status == 201
        (stored,) = (logs / "TT4G-00001").iterdir()
        assert stored.read_bytes() == b"\x1f\x8b logs" and stored.name.endswith(".tar.gz")

        assert upload(srv, url.split("?")[0], b"x")[0] == 403  # unsigned
        assert upload(srv, url.replace("TT4G-00001", "..%2Fetc"), b"x")[0] == 400  # never outside logs_dir
        import console.media.server as server_mod
        monkeypatch.setattr(server_mod, "MAX_LOG_BYTES", 1000)
        other = srv.logs_url("TT4G-00002")
        assert upload(srv, other, b"x" * 2000)[0] == 413  # said up front
        assert upload(srv, other, chunks=iter([b"x" * 600, b"x" * 600]))[0] == 413  # found out half-way
        assert not (logs / "TT4G-00002").exists() or not list((logs / "TT4G-00002").iterdir())
    with MediaServer(store.root) as plain:  # no logs_dir: no such route, and no URL to give out
        assert request(plain, "/logs/TT4G-00001/a.tar.gz", "PUT")[0] == 404
        with pytest.raises(RuntimeError):
            plain.logs_url("TT4G-00001")


def test_logs_that_cannot_be_stored_get_a_clear_answer(store, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the logs folder should be")
    with MediaServer(store.root, logs_dir=blocked) as srv:
        status, body = upload(srv, srv.logs_url("TT4G-00001"), b"logs")
    assert status == 507 and b"cannot store the logs" in body
    assert blocked.read_text().startswith("a file")
