// gaitpose labelling page: one frame at a time on a canvas; every change is POSTed to the local
// server, which writes labels.json atomically. Plain JavaScript, nothing fetched from elsewhere.
"use strict";

const canvas = document.getElementById("view");
const ctx = canvas.getContext("2d");
const savedEl = document.getElementById("saved");
let skeleton = null, frames = [], pos = 0, kp = null, selected = 0;
let image = new Image(), view = {scale: 1, ox: 0, oy: 0}, zoomed = false, dragging = -1;
let saveChain = Promise.resolve(), savedCount = 0;
const PICK_PX = 12;

function banner(id, text) {
  const el = document.getElementById(id);
  el.textContent = text;
  el.hidden = !text;
}

async function start() {
  let state;
  try {
    state = await (await fetch("/api/state")).json();
  } catch (e) {
    banner("error", "The gaitpose server does not answer: start `gaitpose label` again (nothing was lost).");
    return;
  }
  if (state.error) {
    banner("error", state.error);
    document.getElementById("where").textContent = "nothing to label";
    return;
  }
  banner("warnings", (state.warnings || []).join("  ·  "));
  skeleton = state.skeleton;
  frames = state.frames;
  if (!frames.length) { banner("error", "No frames were proposed."); return; }
  resize();
  show(state.position);
}

function sideOf(k) { return skeleton.joints[k].split("_")[0]; }
function colourOf(k) { return skeleton.colours[sideOf(k)]; }
function hasPos(k) { return kp[k][0] !== null && kp[k][1] !== null && kp[k][2] > 0; }
function legPairs() {
  return skeleton.flip_pairs.filter(([a]) => !skeleton.joints[a].endsWith("shoulder"));
}

function show(n) {
  pos = Math.max(0, Math.min(frames.length - 1, n));
  const f = frames[pos];
  kp = f.keypoints.map((row) => row.slice());
  image = new Image();
  image.onload = () => { zoomed ? zoomLegs() : fit(); draw(); };
  image.src = "/" + f.image;
  const done = frames.filter((fr) => fr.labelled).length;
  document.getElementById("where").textContent =
    `frame ${pos + 1} of ${frames.length} · ${f.video.split("/").pop()} #${f.frame} · ` +
    `${done} labelled${f.labelled ? " · this one labelled" : ""}`;
  table();
}

function resize() {
  canvas.width = Math.max(480, window.innerWidth - 300);
  canvas.height = Math.max(360, window.innerHeight - 60);
}

function fitBox(x0, y0, x1, y1) {
  view.scale = Math.min(canvas.width / (x1 - x0), canvas.height / (y1 - y0));
  view.ox = (x0 + x1) / 2 - canvas.width / view.scale / 2;
  view.oy = (y0 + y1) / 2 - canvas.height / view.scale / 2;
}

function fit() { const f = frames[pos]; fitBox(0, 0, f.width, f.height); }

function zoomLegs() {
  const legs = [];
  skeleton.joints.forEach((name, k) => { if (!name.endsWith("shoulder") && hasPos(k)) legs.push(kp[k]); });
  if (legs.length < 2) { fit(); return; }
  const xs = legs.map((p) => p[0]), ys = legs.map((p) => p[1]);
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const m = 0.3 * Math.max(x1 - x0, y1 - y0) + 20;
  fitBox(x0 - m, y0 - m, x1 + m, y1 + m);
}

// Image pixels ↔ canvas pixels. Joints without a position sit in a column at the canvas's left edge.
function toCanvas(k) {
  if (!hasPos(k)) return [16, 30 + 26 * k];
  return [(kp[k][0] - view.ox) * view.scale, (kp[k][1] - view.oy) * view.scale];
}
function toImage(cx, cy) { return [cx / view.scale + view.ox, cy / view.scale + view.oy]; }

function draw() {
  ctx.fillStyle = "#000";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const f = frames[pos];
  ctx.drawImage(image, -view.ox * view.scale, -view.oy * view.scale, f.width * view.scale, f.height * view.scale);
  const line = Math.max(2, Math.round(2 * view.scale));
  for (const [i, j] of skeleton.bones) {
    if (!hasPos(i) || !hasPos(j)) continue;
    const [ax, ay] = toCanvas(i), [bx, by] = toCanvas(j);
    ctx.strokeStyle = sideOf(i) === sideOf(j) ? colourOf(i) : skeleton.colours.middle;
    ctx.lineWidth = line;
    ctx.beginPath(); ctx.moveTo(ax, ay); ctx.lineTo(bx, by); ctx.stroke();
  }
  ctx.font = "13px sans-serif";
  skeleton.joints.forEach((name, k) => {
    const [x, y] = toCanvas(k), r = 6;
    ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.lineWidth = 2;
    if (kp[k][2] === 2) { ctx.fillStyle = colourOf(k); ctx.fill(); }          // visible: filled
    else { ctx.strokeStyle = kp[k][2] === 1 ? colourOf(k) : "#808080"; ctx.stroke(); }   // hidden / unplaced: hollow
    if (k === selected) {
      ctx.beginPath(); ctx.arc(x, y, r + 4, 0, 2 * Math.PI);
      ctx.strokeStyle = "#ff0"; ctx.stroke();
    }
    const label = name.replace("_", " ") + (kp[k][2] === 1 ? " (hidden)" : kp[k][2] === 0 ? " (not in picture)" : "");
    // left joints named on their left, right joints on their right: a pair on top of each other stays readable
    const left = sideOf(k) === "left" && hasPos(k), tx = left ? x - 8 : x + 8;
    ctx.textAlign = left ? "right" : "left";
    ctx.lineWidth = 3; ctx.strokeStyle = "#000";
    ctx.strokeText(label, tx, y - 6);
    ctx.fillStyle = "#fff"; ctx.fillText(label, tx, y - 6);
  });
}

function table() {
  const rows = skeleton.joints.map((name, k) => {
    const state = ["not in picture", "hidden", "visible"][kp[k][2]];
    return `<tr class="${k === selected ? "selected" : ""}"><td>${k + 1}</td>` +
      `<td style="color:${colourOf(k)}">${name}</td><td>${state}</td></tr>`;
  });
  document.getElementById("joints").innerHTML = rows.join("");
}

function nearestJoint(cx, cy) {
  let best = -1, bestD = PICK_PX;
  skeleton.joints.forEach((_, k) => {
    const [x, y] = toCanvas(k), d = Math.hypot(x - cx, y - cy);
    if (d <= bestD) { best = k; bestD = d; }
  });
  return best;
}

// Saves are chained so they reach the server in the order they were made.
function save(position) {
  const body = JSON.stringify({index: pos, keypoints: kp, position: position === undefined ? pos : position});
  const f = frames[pos], snapshot = kp.map((row) => row.slice());
  saveChain = saveChain.then(async () => {
    try {
      const reply = await fetch("/api/frame", {method: "POST", headers: {"Content-Type": "application/json"}, body});
      const answer = await reply.json();
      if (!reply.ok) throw new Error(answer.error || reply.statusText);
      f.keypoints = snapshot; f.labelled = true;
      savedCount += 1;
      savedEl.dataset.count = String(savedCount);
      savedEl.className = "";
      savedEl.textContent = `saved (${answer.labelled} frames labelled)`;
    } catch (e) {
      savedEl.className = "failed";
      savedEl.textContent = "NOT SAVED: " + e.message;
    }
  });
  return saveChain;
}

function changed() { draw(); table(); save(); }

function next(step) {
  if (step > 0) {
    save(Math.min(frames.length - 1, pos + 1));            // moving on accepts this frame as labelled
  } else {
    fetch("/api/position", {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({position: Math.max(0, pos - 1)})});
  }
  saveChain.then(() => show(pos + step));
}

canvas.addEventListener("mousedown", (e) => {
  const k = nearestJoint(e.offsetX, e.offsetY);
  if (k >= 0) { selected = k; dragging = k; draw(); table(); }
  canvas.focus();
});
canvas.addEventListener("mousemove", (e) => {
  if (dragging < 0) return;
  const [x, y] = toImage(e.offsetX, e.offsetY);
  kp[dragging] = [x, y, kp[dragging][2] === 0 ? 2 : kp[dragging][2]];
  draw();
});
window.addEventListener("mouseup", () => {
  if (dragging >= 0) { dragging = -1; changed(); }
});
canvas.addEventListener("wheel", (e) => {
  e.preventDefault();
  const [x, y] = toImage(e.offsetX, e.offsetY), factor = e.deltaY < 0 ? 1.25 : 0.8;
  view.scale *= factor;
  view.ox = x - e.offsetX / view.scale;
  view.oy = y - e.offsetY / view.scale;
  draw();
}, {passive: false});

document.addEventListener("keydown", (e) => {
  if (!skeleton || !kp) return;
  const key = e.key.toLowerCase();
  if (key === "s") {
    for (const [a, b] of legPairs()) [kp[a], kp[b]] = [kp[b], kp[a]];
    changed();
  } else if (key === "h") {
    if (kp[selected][2] > 0) { kp[selected][2] = kp[selected][2] === 2 ? 1 : 2; changed(); }
  } else if (key === "x" || key === "delete") {
    kp[selected] = [null, null, 0]; changed();
  } else if (key >= "1" && key <= "8") {
    selected = Number(key) - 1; draw(); table();
  } else if (key === "n" || key === "enter" || key === "arrowright") {
    next(pos < frames.length - 1 ? 1 : 0);
  } else if (key === "p" || key === "arrowleft") {
    next(pos > 0 ? -1 : 0);
  } else if (key === "z") {
    zoomed = !zoomed; zoomed ? zoomLegs() : fit(); draw();
  } else {
    return;
  }
  e.preventDefault();
});
window.addEventListener("resize", () => { if (skeleton && kp) { resize(); zoomed ? zoomLegs() : fit(); draw(); } });

// For tests and scripts: where joint k is drawn, in canvas pixels.
window.labeller = {jointOnCanvas: (k) => toCanvas(k), position: () => pos, keypoints: () => kp};
start();
