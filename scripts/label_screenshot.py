"""docs/label-page.png: the labelling page on the bundled demo walk, in headless Chromium.

Run from the repo root: `.venv/bin/python scripts/label_screenshot.py` (proposes 12 frames with the
bundled model into out/label-demo, serves the page, zooms on the legs, selects a joint, screenshots).
"""
import shutil
import threading
import time

from selenium import webdriver

from gaitpose.label.server import LabelOptions, make_server, prepare_session

store, _ = prepare_session(["src/gaitpose/assets/demo/video.mp4"], "out/label-demo", LabelOptions(n_frames=12))
server = make_server(store, [], port=0)
threading.Thread(target=server.serve_forever, daemon=True).start()
options = webdriver.ChromeOptions()
options.binary_location = shutil.which("chromium")
for flag in ("--headless=new", "--no-sandbox", "--window-size=1000,680"):
    options.add_argument(flag)
driver = webdriver.Chrome(service=webdriver.ChromeService(shutil.which("chromedriver")), options=options)
driver.get(f"http://127.0.0.1:{server.server_address[1]}/")
time.sleep(2)
canvas = driver.find_element("tag name", "canvas")
canvas.send_keys("z")
canvas.send_keys("7")                      # select the left ankle
driver.execute_script("window.scrollTo(0, 0)")
time.sleep(1)
driver.save_screenshot("docs/label-page.png")
driver.quit()
server.shutdown()
