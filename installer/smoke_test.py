"""Smoke test of a frozen build: it starts, imports everything it needs, and renders the demo offscreen.

    python installer/smoke_test.py dist/tt-console/tt-console
Exits non-zero (and says why) if the build cannot import a module, start the demo station or save a PNG.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path


def run(exe: str, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=timeout, env=env)


def main() -> int:
    exe = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        png = Path(tmp) / "main.png"
        r = run(exe, "screenshot", "--view", "main", "--out", str(png), "--demo-devices", "20",
                "--data-dir", str(Path(tmp) / "data"))
        if r.returncode != 0 or not png.is_file() or png.stat().st_size < 10_000:
            print(f"FAIL screenshot (exit {r.returncode}):\n{r.stderr[-3000:]}")
            return 1
        r = run(exe, "fleet", "status", "--broker", "mqtt://127.0.0.1:1", "--site", "s", "--wait-s", "0")
        if r.returncode == 0 or "Traceback" in r.stderr or "error" not in r.stderr:
            print(f"FAIL error path (exit {r.returncode}):\n{r.stderr[-3000:]}")
            return 1
    print("frozen build OK: demo station rendered offscreen, CLI errors are one line")
    return 0


if __name__ == "__main__":
    sys.exit(main())
