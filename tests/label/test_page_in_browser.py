"""The labelling page in a real browser: headless Chromium driven by Selenium.

Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them); without them this test
is skipped and says why.
"""
import json
import shutil
import threading
import time

import numpy as np
import pytest

from gaitpose.data.coco import load_coco_keypoints
from gaitpose.label.server import LabelOptions, make_server, prepare_session

from label_helpers import FIGURE, FixedProposer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


def _browser():
    if CHROMIUM is None or DRIVER is None:
        pytest.skip("no Chromium here (Debian packages chromium and chromium-driver; .ci/run installs them)")
    try:
        from selenium import webdriver
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[dev]')")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,800"):
        options.add_argument(flag)
    return webdriver.Chrome(service=webdriver.ChromeService(executable_path=DRIVER), options=options)


def _wait(predicate, what, timeout_s=20.0):
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def page(video, tmp_path):
    store, _ = prepare_session([str(video)], tmp_path / "lab", LabelOptions(n_frames=2, prefill="model"), proposer=FixedProposer(),
                               log=lambda _: None)
    server = make_server(store, [], port=0, log=lambda _: None)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    driver = _browser()
    try:
        yield driver, f"http://127.0.0.1:{server.server_address[1]}/", tmp_path / "lab"
    finally:
        driver.quit()
        server.shutdown()
        server.server_close()


def _loaded(driver):
    return _wait(lambda: driver.execute_script(
        "return window.labeller && document.getElementById('where').textContent.startsWith('frame ')"
        " && document.querySelector('canvas') && window.labeller.keypoints()"), "the page to load")


def _saves(driver):
    return int(driver.find_element("id", "saved").get_attribute("data-count"))


def test_drag_a_joint_swap_the_legs_reload_and_the_file_holds_it(page):
    from selenium.webdriver.common.action_chains import ActionChains

    driver, url, out = page
    driver.get(url)
    _loaded(driver)
    canvas = driver.find_element("tag name", "canvas")
    width, height = int(canvas.get_attribute("width")), int(canvas.get_attribute("height"))
    scale = min(width / 320, height / 240)                 # the 320×240 frame fitted into the canvas
    x, y = driver.execute_script("return window.labeller.jointOnCanvas(6)")     # left ankle
    assert abs(x - (FIGURE[6, 0] - (160 - width / scale / 2)) * scale) < 1.0
    # drag the left ankle 40 canvas px right and 30 down (Selenium offsets count from the element's centre)
    ActionChains(driver).move_to_element_with_offset(canvas, int(round(x - width / 2)), int(round(y - height / 2))) \
        .click_and_hold().move_by_offset(40, 30).release().perform()
    _wait(lambda: _saves(driver) >= 1, "the drag to be saved")
    canvas.send_keys("s")                                  # swap left and right legs
    _wait(lambda: _saves(driver) >= 2, "the swap to be saved")

    dragged = FIGURE[6] + np.array([40, 30]) / scale
    on_disk = load_coco_keypoints(out / "labels.json")
    assert len(on_disk) == 1
    kp = on_disk[0].keypoints_8x3
    assert np.allclose(kp[7, :2], dragged, atol=1.5 / scale)          # the dragged ankle is now the right one
    assert np.allclose(kp[6, :2], FIGURE[7])
    assert np.allclose(kp[[2, 3, 4, 5], :2], FIGURE[[3, 2, 5, 4]])    # hips and knees swapped
    assert np.allclose(kp[[0, 1], :2], FIGURE[[0, 1]])                # shoulders stay
    assert (kp[:, 2] == 2).all()

    driver.refresh()                                       # a reload shows the saved labels
    _loaded(driver)
    shown = np.array(driver.execute_script("return window.labeller.keypoints()"), dtype=float)
    assert np.allclose(shown[:, :2], kp[:, :2], atol=1e-3)
    assert json.loads((out / "session.json").read_text())["frames"][0]["labelled"] is True


def test_a_fatal_error_is_on_the_page(tmp_path):
    server = make_server(None, [], error="walks: no videos in this folder", port=0, log=lambda _: None)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    driver = _browser()
    try:
        driver.get(f"http://127.0.0.1:{server.server_address[1]}/")
        banner = driver.find_element("id", "error")
        _wait(lambda: banner.is_displayed(), "the error banner")
        assert banner.text == "walks: no videos in this folder"
    finally:
        driver.quit()
        server.shutdown()
        server.server_close()
