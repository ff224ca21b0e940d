"""Screenshots of map.html's "nearest AED now" for the docs (docs/outputs.md).

    python scripts/screenshots.py --out docs/images

Runs ``aedplan plan`` on the embedded default (Vaduz and Schaan, real OSM data) with
``--lang en`` and ``--lang zh``, both with ``--tiles none`` (no network: the page draws its
own streets and names), opens each map.html in headless Chromium at a desktop viewport
(1280 x 800) and on a phone (390 x 844, device scale 2), asks for one place in central
Vaduz, next to an AED with office hours, on a Wednesday at 10:30 and at 03:30, and saves
``search-{desktop,phone}-{en,zh}-{day,night}.png``. It prints what the page listed for each.

Needs Chromium, its driver, Selenium and Pillow; the Chinese pages need a font with Chinese
glyphs, and the time picker follows the browser's language only where Chromium has its
translations (else it shows 10:30 AM). On Debian/Ubuntu::

    apt-get install -y chromium chromium-driver chromium-l10n fonts-noto-cjk
    pip install selenium pillow
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

#: A place in central Vaduz (lat, lon): the street by an AED with office hours (Mo-Fr
#: 08:00-12:00, 13:30-17:00), so the day and the night answers differ.
PLACE = (47.13907, 9.52170)
WEDNESDAY = 2 * 1440  # minutes of the week at Wednesday 00:00
TIMES = {"day": WEDNESDAY + 10 * 60 + 30, "night": WEDNESDAY + 3 * 60 + 30}
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False},
    "phone": {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True},
}
ROUTES = {"desktop": 3, "phone": 2}  # routes kept in view: a phone shows the nearest two
LOCALES = {"en": "en-GB", "zh": "zh-CN"}  # the browser's, for the time picker
MAX_BYTES = 250_000

MAP = "var m = window[document.querySelector('.folium-map').id];"
# The answer's place and its first drawn routes (arguments[0] of them) in view, clear of the
# panels at the top left and right.
FIT = MAP + """
var r = window.aedplanAnswer, pts = [[r.lat, r.lon]];
r.open.slice(0, arguments[0]).forEach(function (a) { pts = pts.concat(a.route); });
var box = document.querySelector('.aedplan-now').getBoundingClientRect();
var size = m.getSize(), phone = size.x < 600;
var left = phone ? 20 : box.right + 20, top = phone ? box.bottom + 20 : 60;
m.fitBounds(L.latLngBounds(pts), {paddingTopLeft: [left, top],
    paddingBottomRight: [phone ? 20 : 60, 40], maxZoom: 18, animate: false});
"""


def plan(lang: str, out: Path) -> Path:
    """``aedplan plan`` on the embedded default into ``out``: its map.html."""
    subprocess.run([sys.executable, "-m", "aedplan", "plan", "--lang", lang, "--tiles", "none",
                    "--out", str(out), "-q"], check=True, capture_output=True, timeout=600)
    return out / "map.html"


def browser(locale: str):
    """Headless Chromium with no network at all (every host name fails at once)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not (chromium and driver):
        sys.exit("needs chromium and chromedriver (apt-get install chromium chromium-driver)")
    options = Options()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--disable-background-networking", "--no-first-run", f"--lang={locale}",
                "--allow-file-access-from-files", "--host-resolver-rules=MAP * ~NOTFOUND"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": locale})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # the time picker's format follows the language Chromium reads from the environment
    env = {**os.environ, "LANGUAGE": locale.replace("-", "_")}
    return webdriver.Chrome(options=options, service=Service(driver, env=env))


def ask(driver, minute: int, routes: int) -> dict:
    """The page's answer for :data:`PLACE` at ``minute`` of the week, shown as a click
    shows it (the day and time picker set to that minute), the first ``routes`` in view."""
    driver.execute_script("window.aedplanShow(arguments[0], arguments[1], arguments[2]);",
                          *PLACE, minute)
    driver.execute_script(FIT, routes)
    return driver.execute_script(
        "var r = window.aedplanAnswer, keep = ['row', 'name', 'metres', 'oneWayS', 'rescueS',"
        " 'opensAt'];"
        "function pick(a) { var o = {}; keep.forEach(function (k) { o[k] = a[k]; }); return o; }"
        "return {lat: r.lat, lon: r.lon, snapped: r.snapped, open: r.open.map(pick),"
        " later: r.later.map(pick)};")


def open_page(driver, path: Path, viewport: dict) -> None:
    from selenium.webdriver.support.wait import WebDriverWait

    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", viewport)
    driver.get(path.as_uri())
    WebDriverWait(driver, 30).until(lambda d: d.execute_script(
        "return typeof window.aedplanShow === 'function';"))
    errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"
              and "net::ERR_" not in e["message"]]  # tiles fail offline, as they should
    if errors:
        print(f"{path}: the page reported errors:", *errors, sep="\n  ")
    if viewport["mobile"]:  # the panel is a one-line bar on a phone: tap it open
        driver.find_element("css selector", ".aedplan-now summary").click()
    else:  # at 1280 x 800 the open legend covers the end of a long answer: fold it
        driver.find_element("css selector", ".aedplan-legend summary").click()


def save_png(png: bytes, path: Path) -> int:
    """``png`` optimised, reduced to 256 colours if still over :data:`MAX_BYTES`."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.save(path, optimize=True)
    if path.stat().st_size > MAX_BYTES:
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
                       ).save(path, optimize=True)
    return path.stat().st_size


def listed(got: dict) -> list[str]:
    """What the page listed, a line per AED."""
    def clock(minutes: int) -> str:
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    lines = [f"  usable: {a['name'] or '(no name)'}: rescue {a['rescueS']:.0f} s "
             f"(one way {a['oneWayS']:.0f} s, {a['metres']:.0f} m)" for a in got["open"]]
    lines += [f"  opens {clock(a['opensAt'])}: {a['name'] or '(no name)'}: rescue "
              f"{a['rescueS']:.0f} s" for a in got["later"]]
    return lines or ["  nothing usable"]


def shoot(lang: str, path: Path, out: Path) -> dict[str, dict]:
    """The four screenshots of one language's map; the answers by file name."""
    answers = {}
    driver = browser(LOCALES[lang])
    try:
        for device, viewport in VIEWPORTS.items():
            open_page(driver, path, viewport)
            for when, minute in TIMES.items():
                got = ask(driver, minute, ROUTES[device])
                name = f"search-{device}-{lang}-{when}.png"
                size = save_png(driver.get_screenshot_as_png(), out / name)
                answers[name] = got
                print(f"{name} ({size / 1000:.0f} KB): lat {got['lat']:.5f}, "
                      f"lon {got['lon']:.5f}, snapped {got['snapped']}")
                print("\n".join(listed(got)))
    finally:
        driver.quit()
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/images"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for lang in LOCALES:
            answers = shoot(lang, plan(lang, Path(tmp) / lang), args.out)
            rows = {when: [a["row"] for a in answers[f"search-desktop-{lang}-{when}.png"]
                           ["open"]] for when in TIMES}
            if rows["day"] == rows["night"]:
                sys.exit(f"{lang}: the day and night answers are the same ({rows['day']}): "
                         "move PLACE next to an AED with office hours")


if __name__ == "__main__":
    main()
