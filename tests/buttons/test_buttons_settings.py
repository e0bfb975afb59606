"""[buttons] in kiosk.toml: documented defaults, and plain messages for bad values."""

import pytest

from kiosk.buttons import ButtonSettings, read_button_settings
from kiosk.errors import KioskError


def write(home, text):
    home.config.write_text(text, encoding="utf-8")
    return home.config


def test_no_config_file_means_the_documented_defaults(home):
    settings = read_button_settings(home.config)
    assert settings == ButtonSettings()
    assert (settings.green_pin, settings.red_pin, settings.replay_pin) == (5, 6, 26)
    assert (settings.green_lamp_pin, settings.red_lamp_pin) == (23, 24)
    timings = settings.timings()
    assert (timings.debounce, timings.min_between_answers) == (0.03, 0.8)
    assert (timings.hold_both, timings.stuck) == (3.0, 60.0)


def test_default_pins_avoid_i2c_spi_uart_i2s_and_pwm_audio():
    reserved = {0, 1, 2, 3, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 25}
    s = ButtonSettings()
    used = {s.green_pin, s.red_pin, s.replay_pin, s.green_lamp_pin, s.red_lamp_pin}
    assert not used & reserved


def test_values_are_read(home):
    path = write(
        home,
        'kiosk_id = "walsall-1"\n[buttons]\ngreen_pin = 22\nred_pin = 27\nreplay_pin = false\n'
        "debounce_ms = 20\nmin_seconds_between_answers = 1.5\nhold_seconds = 5\n"
        "lamps_active_high = false\n",
    )
    settings = read_button_settings(path)
    assert (settings.green_pin, settings.red_pin, settings.replay_pin) == (22, 27, None)
    assert settings.timings().debounce == pytest.approx(0.02)
    assert settings.min_seconds_between_answers == 1.5
    assert settings.hold_seconds == 5
    assert settings.lamps_active_high is False


def test_an_already_parsed_table_is_accepted():
    assert read_button_settings({"buttons": {"enabled": False}}).enabled is False


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ("green_pin = 40", "buttons.green_pin = 40 is not a GPIO number"),
        ('red_pin = "GPIO6"', "buttons.red_pin = 'GPIO6' is not a GPIO number"),
        ("replay_pin = true", "or false for no third button"),
        ("debounce_ms = 0", "buttons.debounce_ms = 0 is not usable: use a number from 1 to 500"),
        ("hold_seconds = -3", "buttons.hold_seconds"),
        ('min_seconds_between_answers = "soon"', "min_seconds_between_answers"),
        ("stuck_seconds = inf", "stuck_seconds"),
        ("stuck_seconds = 5\nhold_seconds = 10", "must be longer than buttons.hold_seconds"),
        ("green_pin = 24", "buttons.green_pin and buttons.red_lamp_pin are both GPIO24"),
        ("enabled = 1", "buttons.enabled must be true or false"),
        ("gren_pin = 5", "unknown setting(s) gren_pin"),
    ],
)
def test_bad_values_are_explained(home, table, words):
    path = write(home, "[buttons]\n" + table + "\n")
    with pytest.raises(KioskError) as caught:
        read_button_settings(path)
    assert words in str(caught.value)
    assert str(path) in str(caught.value)


def test_broken_toml_is_explained(home):
    path = write(home, "[buttons\ngreen_pin = 5\n")
    with pytest.raises(KioskError, match="is not written correctly"):
        read_button_settings(path)


def test_kiosk_toml_saved_by_notepad_is_read_by_both_readers(home):
    """Notepad writes a byte-order mark; kiosk.toml is read by the settings and the buttons."""
    from kiosk.settings import read_settings

    path = home.config
    path.write_bytes(
        b"\xef\xbb\xbfkiosk_id = \"hall\"\r\n[buttons]\r\ngreen_pin = 5\r\n"
    )
    assert read_button_settings(path).green_pin == 5
    assert read_settings(home).kiosk_id == "hall"
    path.write_bytes('kiosk_id = "hall"\n[buttons]\nreplay_pin = false\n'.encode("utf-16"))
    assert read_button_settings(path).replay_pin is None


def test_buttons_must_be_a_table(home):
    with pytest.raises(KioskError, match="must be a table"):
        read_button_settings(write(home, "buttons = 5\n"))
