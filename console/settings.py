"""One typed settings registry.

Every setting is declared once in :data:`REGISTRY` with its key, type, default and a translatable
label. Values come from, in increasing precedence:

1. the config file (TOML; ``--config PATH``, else ``$TT_CONFIG``, else ``config.toml`` in the
   platform's config directory),
2. the environment (``TT_<KEY>``, e.g. ``TT_BROKER_URL``, ``TT_DATA_DIR``),
3. command-line flags (``--broker``, ``--data-dir``, ...).

QSettings is used only for window geometry and dock state (see ``console/ui``).
"""

from __future__ import annotations

import getpass
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import unquote, urlsplit

import platformdirs

APP_NAME = "tt-console"
ENV_PREFIX = "TT_"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - Qt's name, found by lupdate
    return text


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message is one clear line."""


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    label: str
    secret: bool = False


REGISTRY: tuple[Setting, ...] = (
    Setting("broker_url", str, "", QT_TRANSLATE_NOOP("Settings", "MQTT broker URL (mqtt://host:1883 or mqtts://host:8883); empty starts the demo station")),
    Setting("broker_username", str, "", QT_TRANSLATE_NOOP("Settings", "Broker user name")),
    Setting("broker_password", str, "", QT_TRANSLATE_NOOP("Settings", "Broker password"), secret=True),
    Setting("broker_ca_file", str, "", QT_TRANSLATE_NOOP("Settings", "CA certificate for TLS (empty: system store)")),
    Setting("broker_cert_file", str, "", QT_TRANSLATE_NOOP("Settings", "Client certificate for TLS")),
    Setting("broker_key_file", str, "", QT_TRANSLATE_NOOP("Settings", "Client key for TLS")),
    Setting("broker_tls_insecure", bool, False, QT_TRANSLATE_NOOP("Settings", "Skip TLS host name verification (testing only)")),
    Setting("site_id", str, "demo", QT_TRANSLATE_NOOP("Settings", "Station (site) id, the root of its MQTT topics")),
    Setting("database_url", str, "", QT_TRANSLATE_NOOP("Settings", "Database URL (empty: SQLite in the data directory)")),
    Setting("data_dir", str, "", QT_TRANSLATE_NOOP("Settings", "Data directory")),
    Setting("language", str, "vi", QT_TRANSLATE_NOOP("Settings", "User interface language (vi, en)")),
    Setting("demo_devices", int, 100, QT_TRANSLATE_NOOP("Settings", "Number of simulated clusters in the demo station")),
    Setting("demo_seed", int, 1, QT_TRANSLATE_NOOP("Settings", "Random seed of the demo fleet")),
    # Until users and roles land, the local user acts under this name and role (editor, approver,
    # technician, admin). A single-desk station's operator is its admin.
    Setting("user_name", str, "", QT_TRANSLATE_NOOP("Settings", "User name recorded in the history (empty: the login name)")),
    Setting("user_role", str, "admin", QT_TRANSLATE_NOOP("Settings", "Role of the local user (editor, approver, technician, admin)")),
    # Distribution format of rendered audio (what the loudspeakers download over 4G).
    Setting("render_format", str, "mp3", QT_TRANSLATE_NOOP("Settings", "Distribution format (mp3 or opus)")),
    Setting("render_bitrate_k", int, 64, QT_TRANSLATE_NOOP("Settings", "Distribution bit rate, kbit/s")),
    Setting("target_lufs", float, -16.0, QT_TRANSLATE_NOOP("Settings", "Loudness target, LUFS integrated (EBU R128)")),
    Setting("target_true_peak", float, -1.0, QT_TRANSLATE_NOOP("Settings", "True-peak ceiling, dBTP")),
    # Scheduling and media distribution (docs/scheduling.md). Devices download from the built-in
    # media server at media_base (default: http://{media_host}:{media_port}/media), or from any other
    # origin holding the same {sha256}.{ext} names.
    Setting("media_host", str, "0.0.0.0", QT_TRANSLATE_NOOP("Settings", "Address the media server listens on")),
    Setting("media_port", int, 8088, QT_TRANSLATE_NOOP("Settings", "Port of the media server (0: any free port)")),
    Setting("media_base", str, "", QT_TRANSLATE_NOOP("Settings", "Media URL the devices use (empty: this station's media server)")),
    Setting("media_secret", str, "", QT_TRANSLATE_NOOP("Settings", "Key that signs media URLs (empty: unsigned)"), secret=True),
    Setting("schedule_window_days", int, 7, QT_TRANSLATE_NOOP("Settings", "Days of schedule sent ahead to the devices")),
    # Live and emergency (docs/live.md). Who may: until the users issue, the local role decides.
    Setting("live_roles", str, "editor,approver,admin", QT_TRANSLATE_NOOP("Settings", "Roles that may go live (comma-separated)")),
    Setting("emergency_roles", str, "approver,admin", QT_TRANSLATE_NOOP("Settings", "Roles that may start an emergency broadcast (comma-separated)")),
    Setting("live_max_s", int, 900, QT_TRANSLATE_NOOP("Settings", "Longest live announcement, seconds (stuck-microphone guard)")),
    Setting("emergency_max_s", int, 1800, QT_TRANSLATE_NOOP("Settings", "Longest emergency broadcast unless renewed, seconds")),
    Setting("icecast_url", str, "", QT_TRANSLATE_NOOP("Settings", "Icecast server that relays live streams (http://host:port; empty: none)")),
    Setting("icecast_password", str, "", QT_TRANSLATE_NOOP("Settings", "Icecast source password"), secret=True),
    # Province sync (docs/province-api.md).
    Setting("province_url", str, "", QT_TRANSLATE_NOOP("Settings", "Province API URL (empty: no province link)")),
    Setting("province_token", str, "", QT_TRANSLATE_NOOP("Settings", "Province token (better: sync token set, kept in the OS keyring)"), secret=True),
    Setting("province_cert_file", str, "", QT_TRANSLATE_NOOP("Settings", "Client certificate for the province (mutual TLS)")),
    Setting("province_key_file", str, "", QT_TRANSLATE_NOOP("Settings", "Client key for the province")),
    Setting("province_ca_file", str, "", QT_TRANSLATE_NOOP("Settings", "CA certificate of the province (empty: system store)")),
    Setting("province_emergency", str, "confirm", QT_TRANSLATE_NOOP("Settings", "Emergency bulletins: confirm (one click) or play (at once)")),
    Setting("readiness_alarm_min", int, 30, QT_TRANSLATE_NOOP("Settings", "Alarm when media is not on every device this many minutes before air")),
    # Monitoring alarms (docs/monitoring.md).
    Setting("alarm_offline_min", int, 10, QT_TRANSLATE_NOOP("Settings", "Alarm when a device is offline longer than, minutes")),
    Setting("alarm_never_seen_h", int, 24, QT_TRANSLATE_NOOP("Settings", "Alarm when an adopted device has never been seen after, hours")),
    Setting("alarm_silent_db", float, -50.0, QT_TRANSLATE_NOOP("Settings", "Playing but silent: output level below, dBFS")),
    Setting("alarm_silent_min", int, 2, QT_TRANSLATE_NOOP("Settings", "Playing but silent for, minutes")),
    Setting("alarm_clock_ms", int, 2000, QT_TRANSLATE_NOOP("Settings", "Alarm when the clock offset exceeds, ms")),
    Setting("alarm_weak_rssi_dbm", int, -105, QT_TRANSLATE_NOOP("Settings", "Weak signal: RSSI below, dBm")),
    Setting("alarm_weak_min", int, 15, QT_TRANSLATE_NOOP("Settings", "Weak signal for, minutes")),
    # Map tiles (docs/map.md). The map works offline without them; a tile server is used only when
    # switched on, and only for what is on screen (the OpenStreetMap tile policy).
    Setting("map_tiles", bool, False, QT_TRANSLATE_NOOP("Settings", "Show map tiles from the tile server (off: the offline map)")),
    Setting("map_tile_url", str, "https://tile.openstreetmap.org/{z}/{x}/{y}.png", QT_TRANSLATE_NOOP("Settings", "Tile server URL template with {z}, {x} and {y}")),
    Setting("map_tile_cache_dir", str, "", QT_TRANSLATE_NOOP("Settings", "Folder of the tile cache (empty: tiles in the data directory)")),
    Setting("map_tile_user_agent", str, "", QT_TRANSLATE_NOOP("Settings", "User-Agent sent to the tile server (empty: this application and its version)")),
    Setting("map_mbtiles", str, "", QT_TRANSLATE_NOOP("Settings", "Local MBTiles or PMTiles archive used as map tiles, without network (empty: none)")),
)
ROLES = ("editor", "approver", "technician", "admin")
_BY_KEY = {s.key: s for s in REGISTRY}
LANGUAGES = ("vi", "en")


@dataclass
class BrokerConfig:
    """A parsed broker URL plus TLS and credentials."""

    host: str
    port: int
    tls: bool = False
    username: str | None = None
    password: str | None = None
    ca_file: str | None = None
    cert_file: str | None = None
    key_file: str | None = None
    tls_insecure: bool = False
    transport: str = "tcp"  # or "websockets"

    @property
    def url(self) -> str:
        scheme = {("tcp", False): "mqtt", ("tcp", True): "mqtts",
                  ("websockets", False): "ws", ("websockets", True): "wss"}[(self.transport, self.tls)]
        return f"{scheme}://{self.host}:{self.port}"


def parse_broker_url(url: str, **extra: Any) -> BrokerConfig:
    """``mqtt://[user:pass@]host[:port]``; also ``mqtts``, ``tcp``, ``ssl``, ``ws``, ``wss``."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as e:
        raise SettingsError(f"bad broker URL {url!r}: {e}") from None
    schemes = {"mqtt": (False, "tcp", 1883), "tcp": (False, "tcp", 1883),
               "mqtts": (True, "tcp", 8883), "ssl": (True, "tcp", 8883), "tls": (True, "tcp", 8883),
               "ws": (False, "websockets", 80), "wss": (True, "websockets", 443)}
    if parts.scheme not in schemes or not parts.hostname:
        raise SettingsError(f"bad broker URL {url!r}: expected mqtt://host[:port] or mqtts://host[:port]")
    tls, transport, default_port = schemes[parts.scheme]
    cfg = BrokerConfig(host=parts.hostname, port=port or default_port, tls=tls, transport=transport,
                       username=unquote(parts.username) if parts.username else None,
                       password=unquote(parts.password) if parts.password else None)
    for k, v in extra.items():
        if v not in (None, "") and getattr(cfg, k, None) in (None, False):
            setattr(cfg, k, v)
    return cfg


def _coerce(setting: Setting, value: Any, source: str) -> Any:
    if isinstance(value, bool):  # bool is an int to Python, not to a config file
        if setting.type is bool:
            return value
    elif isinstance(value, setting.type):
        return value
    elif setting.type is float and isinstance(value, int):
        return float(value)
    elif isinstance(value, str):
        if setting.type is bool:
            low = value.strip().lower()
            if low in ("1", "true", "yes", "on"):
                return True
            if low in ("0", "false", "no", "off", ""):
                return False
        elif setting.type in (int, float):
            try:
                return setting.type(value)
            except ValueError:
                pass
    raise SettingsError(f"setting {setting.key!r} from {source}: expected {setting.type.__name__}, got {value!r}")


@dataclass
class Settings:
    """Resolved settings. Build with :func:`load`; plain attributes afterwards."""

    values: dict[str, Any] = field(default_factory=lambda: {s.key: s.default for s in REGISTRY})
    sources: dict[str, str] = field(default_factory=dict)
    config_file: Path | None = None

    def __getattr__(self, key: str) -> Any:
        try:
            return self.__dict__["values"][key]
        except KeyError:
            raise AttributeError(key) from None

    def set(self, key: str, value: Any, source: str = "code") -> None:
        setting = _BY_KEY.get(key)
        if setting is None:
            raise SettingsError(f"unknown setting {key!r}")
        self.values[key] = _coerce(setting, value, source)
        self.sources[key] = source

    @property
    def demo(self) -> bool:
        """No broker configured: run the demo station (embedded broker, simulated fleet)."""
        return not self.values["broker_url"]

    @property
    def data_path(self) -> Path:
        path = Path(self.values["data_dir"] or platformdirs.user_data_dir(APP_NAME, appauthor=False))
        return path.expanduser()

    @property
    def user(self) -> str:
        return self.values["user_name"] or getpass.getuser()

    @property
    def media_path(self) -> Path:
        """The content-addressed media store."""
        return self.data_path / "media"

    @property
    def logs_path(self) -> Path:
        """Log archives the devices upload (``logs.upload``), one folder per device."""
        return self.data_path / "logs"

    @property
    def db_url(self) -> str:
        return self.values["database_url"] or f"sqlite:///{self.data_path / 'console.db'}"

    def broker(self, url: str | None = None) -> BrokerConfig:
        v = self.values
        return parse_broker_url(
            url or v["broker_url"], username=v["broker_username"], password=v["broker_password"],
            ca_file=v["broker_ca_file"], cert_file=v["broker_cert_file"], key_file=v["broker_key_file"],
            tls_insecure=v["broker_tls_insecure"])

    def validate(self) -> None:
        if self.values["language"] not in LANGUAGES:
            raise SettingsError(f"language must be one of {', '.join(LANGUAGES)}, not {self.values['language']!r}")
        if self.values["broker_url"]:
            self.broker()
        if self.values["user_role"] not in ROLES:
            raise SettingsError(f"user_role must be one of {', '.join(ROLES)}, not {self.values['user_role']!r}")
        if self.values["province_emergency"] not in ("confirm", "play"):
            raise SettingsError(f"province_emergency must be confirm or play, not {self.values['province_emergency']!r}")
        if self.values["render_format"] not in ("mp3", "opus"):
            raise SettingsError(f"render_format must be mp3 or opus, not {self.values['render_format']!r}")
        for key in ("alarm_offline_min", "alarm_never_seen_h", "alarm_silent_min", "alarm_clock_ms", "alarm_weak_min"):
            if self.values[key] < 0:
                raise SettingsError(f"{key} cannot be negative, not {self.values[key]!r}")
        site = self.values["site_id"]
        if not site or any(c in site for c in "/+#$ "):
            raise SettingsError(f"bad site id {site!r}: no spaces or / + # $")

    def public(self) -> dict[str, Any]:
        return {k: ("***" if _BY_KEY[k].secret and v else v) for k, v in self.values.items()}


def default_config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def load(cli: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None,
         config_file: str | os.PathLike | None = None) -> Settings:
    """Resolve settings: config file < environment < CLI flags (``None`` values in ``cli`` are unset)."""
    env = os.environ if env is None else env
    settings = Settings()
    explicit = config_file or env.get(ENV_PREFIX + "CONFIG")
    path = Path(explicit).expanduser() if explicit else default_config_file()
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise SettingsError(f"cannot read config file {path}: {e}") from None
        for key, value in data.items():
            settings.set(key, value, f"config file {path}")
        settings.config_file = path
    elif explicit:
        raise SettingsError(f"config file not found: {path}")
    for s in REGISTRY:
        name = ENV_PREFIX + s.key.upper()
        if name in env:
            settings.set(s.key, env[name], f"environment {name}")
    for key, value in (cli or {}).items():
        if value is not None:
            settings.set(key, value, "command line")
    settings.validate()
    return settings


__all__ = ["Settings", "Setting", "SettingsError", "BrokerConfig", "load", "parse_broker_url", "REGISTRY"]
