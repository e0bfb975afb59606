"""The sessions commands, end to end through ``kiosk ...``: plain words, never a traceback."""

from __future__ import annotations

from sessions_helpers import answer

from kiosk.cli import main
from kiosk.sessions.log import ResponseLog


def test_export_import_report_list_clear(home, tmp_path, capsys, clock):
    log = ResponseLog(home.log, "walsall-1", clock)
    sid = log.start_session("hospital-letter", 1, "Caldmore Community Centre")
    answer(log, sid, 1, "original-1", "understood", variant="original")
    answer(log, sid, 2, "original-1", "not_understood", variant="original")
    log.close()  # no end_session: the power went off

    home_arg = ["--home", str(home.root)]
    assert main([*home_arg, "sessions", "list"]) == 0
    assert "2 answers  open  not exported yet" in capsys.readouterr().out
    assert main([*home_arg, "export", str(tmp_path / "stick")]) == 0
    out = capsys.readouterr().out
    assert "marked 'crashed'" in out and "Copied 1 session (2 answers)" in out
    assert main([*home_arg, "sessions", "clear-exported"]) == 2
    assert "--yes" in capsys.readouterr().out
    assert main([*home_arg, "import", str(tmp_path / "stick")]) == 0
    assert "2 new answers" in capsys.readouterr().out
    assert main([*home_arg, "report", "--out", str(tmp_path / "report")]) == 0
    assert (tmp_path / "report" / "report.html").exists()
    assert (tmp_path / "report" / "poster-hospital-letter.png").exists()
    assert main([*home_arg, "sessions", "clear-exported", "--yes"]) == 0
    assert "Deleted 1 exported session" in capsys.readouterr().out
    assert main([*home_arg, "import", str(tmp_path / "nowhere")]) == 1
    assert "Refused" in capsys.readouterr().out


def test_report_before_any_import_says_what_to_do(home, capsys):
    assert main(["--home", str(home.root), "report"]) == 1
    err = capsys.readouterr().err
    assert "kiosk import" in err and "Traceback" not in err
