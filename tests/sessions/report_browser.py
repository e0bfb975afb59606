"""Open a report in headless Chromium and look at it, through the DevTools protocol.

No extra Python package: Chromium's ``--remote-debugging-pipe`` speaks the DevTools protocol
(JSON messages ended by a NUL byte) on file descriptors 3 (commands in) and 4 (replies out),
which the standard library can hand it. Used by ``test_sessions_report_browser.py``, and run
as a script it saves the README's screenshots of a realistic report (made from fake walks of
the bundled decks, ``bench/sessions_fake.py``):

    python tests/sessions/report_browser.py docs/screenshots
"""

from __future__ import annotations

import base64
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
A4_INCHES = (8.27, 11.69)
MARGIN_INCHES = 0.4
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--remote-debugging-pipe"]


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """One headless Chromium, one tab, driven over the pipe."""

    def __init__(self, profile: Path) -> None:
        commands_read, self._commands = os.pipe()
        self._replies, replies_write = os.pipe()

        def wire() -> None:  # in the child: the pipe ends on fds 3 and 4, as Chromium wants
            os.dup2(commands_read, 3)
            os.dup2(replies_write, 4)

        binary = chromium()
        assert binary is not None, "Chromium is not installed (Debian: chromium)"
        self.process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            # kept open past the fork: subprocess closes every other fd after preexec_fn
            preexec_fn=wire, pass_fds=(3, 4),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        os.close(commands_read)
        os.close(replies_write)
        self._buffer = b""
        self._next = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget",
                                 {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=True)

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._replies, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed its DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict | None = None, session: bool = False,
             timeout: float = 120) -> dict:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 120) -> dict:
        for event in self.events:
            if event.get("method") == method:
                return event
        deadline = time.monotonic() + timeout
        while True:
            event = self._read_message(deadline)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression,
                                                "returnByValue": True}, session=True)
        return result["result"].get("value")

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=10)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._commands, self._replies):
            os.close(fd)


PAGE_FACTS = """(() => {
  const images = [...document.images].map(i => ({alt: i.alt, loaded: i.complete &&
      i.naturalWidth > 0, src: i.src.slice(0, 22)}));
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('table')].filter(t =>
      t.getBoundingClientRect().right > width + 1 || t.scrollWidth > t.clientWidth + 1)
      .map(t => t.innerText.slice(0, 60));
  const links = [...document.querySelectorAll('[href],[src]')].map(e =>
      e.getAttribute('href') || e.getAttribute('src')).filter(u => !u.startsWith('data:'));
  const inside = (r, box) => r.left >= box.left - 0.5 && r.right <= box.right + 0.5 &&
      r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
  const charts = [...document.querySelectorAll('svg[role=img]')].map(svg => {
    const box = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')].map(t => ({text: t.textContent,
        box: t.getBoundingClientRect()}));
    const overlaps = [];
    texts.forEach((a, i) => texts.slice(i + 1).forEach(b => {
      if (Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left) > 1 &&
          Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top) > 1)
        overlaps.push([a.text, b.text]);
    }));
    return {label: svg.getAttribute('aria-label'), width: box.width, height: box.height,
            wider: box.right > width + 1, texts: texts.length, overlaps,
            out: texts.filter(t => !inside(t.box, box)).map(t => t.text),
            smallest: Math.min(...texts.map(t => t.box.height))};
  });
  return {images, charts, wide, links, width, tables: document.querySelectorAll('table').length,
          text: document.body.innerText};
})()"""


def look_at(report: Path, screenshots: Path | None = None) -> dict[str, Any]:
    """Open ``report``: what it requested, any console errors, its pictures, charts (each
    text's box in its chart's) and tables on screen and at A4 print width, and the PDF
    Chromium prints on A4."""
    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(Path(profile))
        try:
            browser.call("Emulation.setDeviceMetricsOverride", {
                "width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False},
                session=True)
            browser.call("Page.navigate", {"url": report.resolve().as_uri()}, session=True)
            browser.wait_for("Page.loadEventFired")
            screen = browser.evaluate(PAGE_FACTS)
            if screenshots is not None:
                _screenshots(browser, screenshots)
            printable = round((A4_INCHES[0] - 2 * MARGIN_INCHES) * 96)
            browser.call("Emulation.setEmulatedMedia", {"media": "print"}, session=True)
            browser.call("Emulation.setDeviceMetricsOverride", {
                "width": printable, "height": 1000, "deviceScaleFactor": 1, "mobile": False},
                session=True)
            printed = browser.evaluate(PAGE_FACTS)
            browser.call("Emulation.clearDeviceMetricsOverride", session=True)
            pdf = base64.b64decode(browser.call("Page.printToPDF", {
                "paperWidth": A4_INCHES[0], "paperHeight": A4_INCHES[1],
                "marginTop": MARGIN_INCHES, "marginBottom": MARGIN_INCHES,
                "marginLeft": MARGIN_INCHES, "marginRight": MARGIN_INCHES,
                "printBackground": True}, session=True, timeout=300)["data"])
        finally:
            browser.close()
        stderr = browser.process.stderr.read().decode("utf-8", "replace") \
            if browser.process.stderr else ""
    requests = [e["params"]["request"]["url"] for e in browser.events
                if e.get("method") == "Network.requestWillBeSent"]
    problems = [e for e in browser.events if e.get("method") in (
        "Runtime.exceptionThrown",) or (e.get("method") == "Runtime.consoleAPICalled" and
                                        e["params"].get("type") in ("error", "warning"))
        or (e.get("method") == "Log.entryAdded" and
            e["params"]["entry"].get("level") in ("error", "warning"))]
    return {"requests": requests, "problems": problems, "screen": screen,
            "printed": printed, "pdf": pdf, "stderr": stderr}


def _screenshots(browser: Browser, folder: Path) -> None:
    """The top of the report, and the first deck's heat maps."""
    folder.mkdir(parents=True, exist_ok=True)
    shots = {"report-overview.png": "document.querySelector('h1')",
             "report-heat-maps.png": "[...document.querySelectorAll('h3')].find("
                                     "h => h.textContent === 'Where people pressed')"}
    for name, finder in shots.items():
        top = browser.evaluate(f"(() => {{ const e = {finder}; return e ? "
                               "e.getBoundingClientRect().top + window.scrollY - 16 : 0 })()")
        data = browser.call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": max(0, top), "width": 1280, "height": 1500, "scale": 1}},
            session=True)["data"]
        (folder / name).write_bytes(base64.b64decode(data))


def realistic_report(folder: Path, people: int = 15, sessions: int = 12) -> Path:
    """A report from fake walks of the bundled decks (the benchmark's kiosks, smaller)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from sessions_fake import fill_log, make_kiosk_log

    from kiosk.sessions.export import export_bundle
    from kiosk.sessions.importer import DesignerStore, import_bundles
    from kiosk.sessions.report import write_store_report

    for k in range(3):
        log = make_kiosk_log(folder, f"kiosk-{k + 1}", k, sessions=0, people=0, memory=True)
        fill_log(log, random.Random(k), sessions=sessions // 3, people=people)
        export_bundle(log, folder / "stick", recipients=None)
        log.close()
    import_bundles(folder / "store", [folder / "stick"])
    store = DesignerStore(folder / "store", read_only=True)
    try:
        write_store_report(store.sql, folder / "report", [ROOT / "prototypes"])
    finally:
        store.close()
    return folder / "report" / "report.html"


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
    with tempfile.TemporaryDirectory() as scratch:
        page = realistic_report(Path(scratch))
        seen = look_at(page, screenshots=out)
    print(f"saved {', '.join(p.name for p in sorted(out.glob('report-*.png')))} in {out}")
    print(f"requests: {len(seen['requests'])}, console problems: {len(seen['problems'])}, "
          f"tables too wide for A4: {seen['printed']['wide']}")
