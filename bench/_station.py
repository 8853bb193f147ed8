"""What the station benchmarks share: a station on a fresh embedded broker, and the simulator in a
child process (so that it does not share the station's GIL)."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def bench_station(site: str) -> Iterator[tuple]:
    """(station, broker, tmp dir): a non-demo station with its media server on loopback; all removed after."""
    from console import settings as st
    from console.fleet.broker import raise_fd_limit, start_embedded_broker
    from console.station import Station

    raise_fd_limit()
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-{site}-"))
    broker = start_embedded_broker(workdir=tmp / "broker")
    settings = st.load(cli={"data_dir": str(tmp / "station"), "broker_url": broker.url, "site_id": site},
                       env={"TT_MEDIA_HOST": "127.0.0.1", "TT_MEDIA_PORT": "0"})
    station = Station(settings).start()
    try:
        yield station, broker, tmp
    finally:
        station.stop()
        broker.stop()
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def sim_process(broker_url: str, site: str, devices: int, *extra: str) -> Iterator[subprocess.Popen]:
    """``python -m console sim`` with ``devices`` devices (SIM-00001 ...), stopped after."""
    proc = subprocess.Popen([sys.executable, "-m", "console", "sim", "--broker", broker_url, "--site", site,
                             "--devices", str(devices), *extra], cwd=ROOT, stdin=subprocess.DEVNULL)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()


def register_adopted(station, ids: list[str]) -> None:
    from console.store import repo

    station.writer.call(lambda s: [repo.register_device(s, d, adoption="adopted") for d in ids]).result(60)
