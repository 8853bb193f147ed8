"""The stream pushed to a real Icecast 2.4 (Debian's icecast2) and played from its mount by ffmpeg."""

from __future__ import annotations

import base64
import urllib.request
from xml.etree import ElementTree

import pytest

from console.live.icecast import CONNECTED, ENDED, RETRYING, STOPPED, IcecastPush
from console.live.source import END_OF_FILE, RATE, WavFileSource
from console.live.stream import LiveBroadcast, LiveChannel
from fixtures.audio import write_wav
from fixtures.waiting import wait_until
from livesignal import FfmpegListener, markers, speech_bed, with_marker


def mounts(icecast) -> dict[str, dict[str, str]]:
    """Icecast's sources by listen URL, with their fields (its admin statistics; its JSON status page
    is not always valid JSON in 2.4.4)."""
    auth = base64.b64encode(f"admin:{icecast.admin_password}".encode()).decode()
    request = urllib.request.Request(icecast.url + "/admin/stats", headers={"Authorization": f"Basic {auth}"})
    with urllib.request.urlopen(request, timeout=10) as resp:
        root = ElementTree.fromstring(resp.read())
    sources = ({child.tag: child.text or "" for child in source} for source in root.iter("source"))
    return {source.get("listenurl", ""): source for source in sources}


def test_push_to_icecast_and_play_from_it(icecast, tmp_path):
    wav = write_wav(tmp_path / "in.wav", with_marker(6.0, at_s=4.0))
    channel = LiveChannel(name="Xã Tân Lập, Đắk Lắk")
    statuses = []
    push = IcecastPush(icecast.url, "live-s1.mp3", password=icecast.source_password,
                       on_status=lambda *s: statuses.append(s))
    assert push.public_url == f"{icecast.url}/live-s1.mp3"
    bc = LiveBroadcast(WavFileSource(wav), channel, chime=False)
    push.start(channel)
    bc.start()
    assert wait_until(lambda: push.status == CONNECTED and push.public_url in mounts(icecast)), push.status_message
    source = mounts(icecast)[push.public_url]
    assert source["server_type"] == "audio/mpeg" and source["server_name"] == "Xa Tan Lap, Dak Lak"
    ffmpeg = FfmpegListener(push.public_url)
    assert bc.wait(60) and bc.end_reason == END_OF_FILE
    assert wait_until(lambda: push.status == ENDED)
    assert ffmpeg.wait() == 0, ffmpeg.stderr  # Icecast ended the mount when its source left
    audio = ffmpeg.samples()
    assert audio.size > RATE  # it joined within the first seconds, before the marker
    assert len(markers(audio)) == 1
    assert [s for s, _ in statuses][:2] == ["connecting", CONNECTED] and push.connects == 1
    push.stop()
    assert push.status == ENDED


def test_reconnects_after_icecast_restarts_and_says_so(icecast, tmp_path, caplog):
    channel = LiveChannel()
    bc = LiveBroadcast(WavFileSource(write_wav(tmp_path / "in.wav", speech_bed(120))), channel, chime=False)
    push = IcecastPush(icecast.url, "/again.mp3", password=icecast.source_password).start(channel)
    bc.start()
    try:
        assert wait_until(lambda: push.status == CONNECTED)
        icecast.kill()
        assert wait_until(lambda: push.status == RETRYING), push.status
        assert "retrying in" in push.status_message
        assert any("retrying in" in r.getMessage() for r in caplog.records)
        icecast.start()
        assert wait_until(lambda: push.connects == 2 and push.status == CONNECTED, timeout=40), push.status_message
        # And Icecast serves it again.
        ffmpeg = FfmpegListener(push.public_url)
        assert wait_until(lambda: ffmpeg.seconds >= 1.0), ffmpeg.stderr
        ffmpeg.close()
    finally:
        push.stop()
        bc.stop()
    assert bc.wait(10) and push.status == STOPPED


def test_wrong_password_is_reported(icecast):
    channel = LiveChannel()
    push = IcecastPush(icecast.url, "/x.mp3", password="wrong").start(channel)
    try:
        assert wait_until(lambda: push.status == RETRYING)
        assert "401" in push.status_message and push.connects == 0
    finally:
        push.stop()
        channel.close()


def test_bad_url():
    with pytest.raises(ValueError):
        IcecastPush("https://icecast.example", "/x.mp3")
