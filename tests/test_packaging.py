"""Light to install on a Pi (issue 14): the kiosk's own dependencies only; designers' tools in
extras; a designer's command run without them says plainly which extra to install."""

import configparser
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DESIGNERS_TOOLS = ("matplotlib", "numpy", "pypdfium2", "tomlkit", "textstat")


def requirements(text: str) -> list[str]:
    lines = [line.split("#")[0].strip() for line in text.strip().splitlines()]
    return [line for line in lines if line]


def names(lines: list[str]) -> set[str]:
    return {line.split(">")[0].split("<")[0].split("=")[0].split(";")[0].split("[")[0].strip()
            for line in lines}


@pytest.fixture(scope="module")
def setup_cfg():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    return config


def test_the_kiosk_installs_only_what_a_participants_walk_needs(setup_cfg):
    needs = names(requirements(setup_cfg["options"]["install_requires"]))
    assert needs == {"pygame", "pyttsx3", "gpiozero", "tinydb", "pillow", "pyrage"}


def test_the_designers_tools_are_extras_and_the_test_extra_brings_them_all(setup_cfg):
    extras = setup_cfg["options.extras_require"]
    designer = names(requirements(extras["designer"]))
    authoring = names(requirements(extras["authoring"]))
    # the report's charts are SVG written by the kiosk itself; orjson only reads bundles
    # quicker (without it, Python's json reads the same: tests/sessions/test_sessions_parse_json.py)
    assert designer == {"numpy", "orjson"}
    assert authoring == {"pypdfium2", "tomlkit", "textstat"}
    assert "coffee-morning-kiosk[designer,authoring]" in requirements(extras["test"])
    assert "matplotlib" in names(requirements(extras["test"]))  # the tests' PDFs


WITHOUT = """
import sys
for name in sys.argv[1].split(","):
    sys.modules[name] = None  # as if not installed
from kiosk.cli import main
sys.exit(main(sys.argv[2:]))
"""


def run_without(packages: str, *argv: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KIOSK_HOME": str(home)}
    return subprocess.run([sys.executable, "-c", WITHOUT, packages, *argv], env=env,
                          capture_output=True, text=True, timeout=120)


def test_kiosk_report_without_the_designer_extra_says_which_to_install(tmp_path):
    result = run_without("numpy", "report", home=tmp_path / "home")
    assert result.returncode == 1
    assert "pip install 'coffee-morning-kiosk[designer]'" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "home" / "report").exists()  # nothing half done


def test_kiosk_report_draws_its_charts_without_matplotlib(tmp_path):
    from kiosk.sessions.designer_store import SqliteStore

    store = SqliteStore(tmp_path / "home" / "designer-store")
    store.add_sessions([{"session_id": "s", "kiosk_id": "k", "venue": "Hall",
                         "deck_id": "diabetes-app", "deck_version": 1,
                         "started_at": "2025-03-01T10:00:00.000Z"}])
    store.add_events([{"event_id": f"e{n}", "session_id": "s", "seq": n, "kind": "answer",
                       "participant": n % 3 + 1, "screen_id": f"screen-{n // 3}",
                       "variant": "", "response": ("understood", "abandoned")[n == 5]}
                      for n in range(6)])
    store.close()
    result = run_without("matplotlib", "report", home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "home" / "report" / "report.html").read_text(encoding="utf-8")
    assert "aria-label=\"% understood per screen\"" in page
    assert "aria-label=\"where people walked away\"" in page


def test_kiosk_deck_new_without_the_authoring_extra_says_which_to_install(tmp_path):
    result = run_without("pypdfium2,tomlkit,textstat", "deck", "new", str(tmp_path / "new"),
                         "--from", str(ROOT / "prototypes" / "hospital-letter"),
                         home=tmp_path / "home")
    assert result.returncode == 1
    assert "[authoring]" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "new").exists()


def test_deck_check_without_textstat_checks_the_deck_and_skips_the_wording_advice(tmp_path):
    deck = ROOT / "prototypes" / "hospital-letter"
    result = run_without("textstat", "deck", "check", str(deck), home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    assert ": OK" in result.stdout and "no wording advice here" in result.stdout


WALK = """
import os, sys
os.environ["SDL_VIDEODRIVER"] = os.environ["SDL_AUDIODRIVER"] = "dummy"
import pygame
from pathlib import Path
from kiosk.cli.run import assemble
from kiosk.home import Home
pygame.init()
surface = pygame.display.set_mode((800, 480))
app = assemble(Home(Path(sys.argv[1])), (800, 480), deck_id="hospital-letter", venue="Hall",
               use_gpio=False)
app.apply(app.walk.startup_effects())
for _ in range(12):  # green: start, begin, then answer screen after screen
    for kind in (pygame.KEYDOWN, pygame.KEYUP):
        pygame.event.post(pygame.event.Event(kind, key=pygame.K_g, mod=0, unicode="",
                                             scancode=0))
    app.run(surface, frames=12)
print(app.walk.state, app.session_id is not None)
app.close()
"""


@pytest.mark.slow  # a fresh venv and a pip install: about a minute
def test_a_participants_walk_install_and_export_work_with_the_kiosks_own_dependencies(tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    installed = subprocess.run([python, "-m", "pip", "install", "-q", str(ROOT)],
                               capture_output=True, text=True, timeout=900)
    if installed.returncode != 0 and "No matching distribution" in installed.stderr:
        pytest.skip(f"no package index reachable: {installed.stderr.strip()[-200:]}")
    assert installed.returncode == 0, installed.stderr
    listed = subprocess.run([python, "-m", "pip", "list"], capture_output=True, text=True)
    assert not {n.lower() for n in DESIGNERS_TOOLS} & {
        line.split()[0].lower() for line in listed.stdout.splitlines()[2:]}
    home = tmp_path / "home"
    env = {**os.environ, "KIOSK_HOME": str(home), "SDL_VIDEODRIVER": "dummy",
           "SDL_AUDIODRIVER": "dummy"}
    kiosk = str(env_dir / "bin" / "kiosk")

    def run(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([*argv], env=env, capture_output=True, text=True, timeout=600,
                              cwd=tmp_path)

    assert run(kiosk, "deck", "install", str(ROOT / "prototypes")).returncode == 0
    started = run(kiosk, "run", "--windowed", "--deck", "hospital-letter", "--venue", "Hall",
                  "--frames", "5")
    assert started.returncode == 0, started.stderr
    walked = run(str(python), "-c", WALK, str(home))
    assert walked.returncode == 0, walked.stderr
    assert walked.stdout.split()[-1] == "True"  # a session, with the answers logged
    exported = run(kiosk, "export", str(tmp_path / "stick"))
    assert exported.returncode == 0, exported.stderr
    assert "answers" in exported.stdout and "(0 answers)" not in exported.stdout
    assert list((tmp_path / "stick").iterdir())
    report = run(kiosk, "report")
    assert report.returncode == 1 and "[designer]" in report.stderr
