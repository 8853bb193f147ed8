"""The settings registry: file < environment < CLI, types, clear errors."""

import pytest

from console import settings as st


def test_defaults(monkeypatch, tmp_path):
    monkeypatch.setattr(st, "default_config_file", lambda: tmp_path / "absent.toml")
    s = st.load(env={})
    assert s.language == "vi" and s.demo and s.site_id == "demo"
    assert s.db_url.startswith("sqlite:///") and s.db_url.endswith("console.db")


def test_precedence_file_env_cli(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('site_id = "from-file"\nlanguage = "en"\nbroker_url = "mqtt://file:1883"\ndemo_devices = 7\n')
    s = st.load(env={}, config_file=cfg)
    assert (s.site_id, s.language, s.broker().host, s.demo_devices) == ("from-file", "en", "file", 7)
    s = st.load(env={"TT_SITE_ID": "from-env", "TT_DEMO_DEVICES": "9"}, config_file=cfg)
    assert (s.site_id, s.demo_devices, s.language) == ("from-env", 9, "en")
    assert s.sources["site_id"] == "environment TT_SITE_ID"
    s = st.load(cli={"site_id": "from-cli", "language": None}, env={"TT_SITE_ID": "from-env", "TT_CONFIG": str(cfg)})
    assert (s.site_id, s.language) == ("from-cli", "en")
    assert not s.demo


def test_data_dir_drives_the_default_database(tmp_path):
    s = st.load(cli={"data_dir": str(tmp_path)}, env={})
    assert s.data_path == tmp_path and s.db_url == f"sqlite:///{tmp_path / 'console.db'}"


@pytest.mark.parametrize("url,host,port,tls,user", [
    ("mqtt://h", "h", 1883, False, None),
    ("mqtts://u:p%40ss@broker.vn", "broker.vn", 8883, True, "u"),
    ("tcp://10.0.0.1:1884", "10.0.0.1", 1884, False, None),
])
def test_broker_urls(url, host, port, tls, user):
    b = st.parse_broker_url(url)
    assert (b.host, b.port, b.tls, b.username) == (host, port, tls, user)


def test_credentials_and_tls_from_settings_and_secrets_hidden():
    s = st.load(env={"TT_BROKER_URL": "mqtts://b", "TT_BROKER_USERNAME": "u", "TT_BROKER_PASSWORD": "secret",
                     "TT_BROKER_CA_FILE": "/ca.pem"})
    b = s.broker()
    assert (b.username, b.password, b.ca_file, b.tls) == ("u", "secret", "/ca.pem", True)
    assert s.public()["broker_password"] == "***"


@pytest.mark.parametrize("env,message", [
    ({"TT_BROKER_URL": "http://x"}, "bad broker URL"),
    ({"TT_BROKER_URL": "mqtt://h:99999"}, "bad broker URL"),
    ({"TT_LANGUAGE": "fr"}, "language"),
    ({"TT_DEMO_DEVICES": "many"}, "expected int"),
    ({"TT_SITE_ID": "a/b"}, "bad site id"),
    ({"TT_CONFIG": "/nonexistent/c.toml"}, "config file not found"),
])
def test_bad_values_raise_one_clear_error(env, message):
    with pytest.raises(st.SettingsError, match=message):
        st.load(env=env)


def test_bad_config_file(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("site_id = \n")
    with pytest.raises(st.SettingsError, match="cannot read config file"):
        st.load(env={}, config_file=cfg)
    cfg.write_text('colour = "red"\n')
    with pytest.raises(st.SettingsError, match="unknown setting"):
        st.load(env={}, config_file=cfg)
