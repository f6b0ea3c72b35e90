"""The report as a person sees it: headless Chromium renders report.html to PNG and to an A4 PDF, and the
key numbers (rounded as a therapist reads them) are on the printed page.

Needs Debian's `chromium` and `pdftotext` (poppler-utils); where they are missing the test skips and says so.
"""
import re
import shutil
import subprocess

import cv2
import pytest

from gaitpose.report.clinical import write_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
PDFTOTEXT = shutil.which("pdftotext")


def _chromium(*args: str) -> None:
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--no-first-run", "--disable-dev-shm-usage", *args],
                   check=True, capture_output=True, timeout=180)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (Debian: apt-get install chromium)")
@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext not installed (Debian: apt-get install poppler-utils)")
def test_report_prints_to_a4_with_the_key_numbers(hand_folder, tmp_path):
    page = write_report(hand_folder)
    url = page.resolve().as_uri()
    png, pdf = tmp_path / "report.png", tmp_path / "report.pdf"
    _chromium("--window-size=1000,1400", f"--screenshot={png}", url)
    _chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", url)

    image = cv2.imread(str(png))
    assert image.shape[:2] == (1400, 1000)
    assert (image < 100).all(axis=2).mean() > 0.005          # text drawn, not a blank page

    media = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf.read_bytes())
    assert media and all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in media)  # A4 in points
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())
    # conftest's summary: speed 0.384 m/s, cadence 61.56, stride 0.73/0.75/0.74 m, stance 72.0/74.4/73.2 %
    assert "P-017" in text and "2026-11-02 — week 3" in text
    assert re.search(r"Walking speed m/s 0\.38 ▼ 1\.28–1\.43", text), text[:2000]
    assert re.search(r"Cadence steps/min 62 ▼ 111–117", text)
    assert re.search(r"Stride length m 0\.73 ▼ 0\.75 ▼ 0\.74 ▼ 97 % 1\.28–1\.46", text)
    # toe off up to 0.34 s late, 17.5 % of the 1.94 s cycle: 72 − 17.5, 74.4 − 17.5 and 73.2 − 17.5 could all be 60 → ≈
    assert re.search(r"Stance % of cycle 72 ≈ 74 ≈ 73 ≈ 97 % 60", text)
    assert "0.384" not in text and "61.56" not in text               # rounded to what the method resolves
    assert "Perry J, Burnfield JM" in text and "Data quality" in text
