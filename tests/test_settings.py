import pytest

from bot.settings import SettingsError, load_settings


def test_seekr_base_url_tolerates_trailing_v1(monkeypatch):
    monkeypatch.setenv("SEEKR_BASE_URL", "https://flow.example.com/v1/")
    assert load_settings().seekr_base_url == "https://flow.example.com"


def test_malformed_setting_is_named_in_one_line(monkeypatch):
    monkeypatch.setenv("POLL_INTERVAL", "soon")
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert str(info.value).startswith("POLL_INTERVAL:")
    assert "\n" not in str(info.value)


def test_operators_accept_commas_and_spaces(monkeypatch):
    monkeypatch.setenv("OPERATORS", "U01, S02  U03")
    assert load_settings().operators == ["U01", "S02", "U03"]


def test_secrets_do_not_print(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    s = load_settings()
    assert "xoxb-very-secret" not in repr(s) and "xoxb-very-secret" not in str(s)
