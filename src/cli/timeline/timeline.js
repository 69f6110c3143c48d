// The vmmsim timeline (src/cli/timeline/timeline.js): draws the data of timeline_data.cpp on one
// canvas (a 20,000-switch run would be too many SVG nodes), with the outcome panel beside it.
// The colours of lane tabs, event arrows and markers are exact: `make check-browser` looks for
// them in screenshots (tests/browser/check_page.py), so change both together.
'use strict';
const D = JSON.parse(document.getElementById('data').textContent);
const S = D.strings, str = i => (i >= 0 ? S[i] : '');
const STATE_COLORS = ['#43a047', '#1565c0', '#00acc1', '#f4511e', '#7e57c2', '#ffe082', '#ffb74d', '#ef9a9a', '#bdbdbd'];
const C = {tab: '#3949ab', arrow: '#8e24aa', timedOut: '#c62828', cancelled: '#9e9e9e', wake: '#00897b',
  irq: '#fb8c00', signalNone: '#e53935', spurious: '#d81b60', timeout: '#c62828', slice: '#1e88e5',
  prio: '#5d4037', crit: '#6d4c41', outcome: '#c62828', starved: '#d84315', choice: '#000000'};
const LABEL = 170, AXIS = 30, CRIT = 26, GROUP = 20, LANE = 48, BAR_Y = 4, BAR_H = 16, PRIO_Y = 24, PRIO_H = 18;
const canvas = document.getElementById('c'), ctx = canvas.getContext('2d');
const tip = document.getElementById('tip');
const threads = D.threads, nT = threads.length;

// Rows: a header per VM, then its threads' lanes, in the order of D.lanes.
const rows = [], laneY = new Array(nT);
let y = AXIS + CRIT;
let lastVm = null;
for (const t of D.lanes) {
  if (threads[t].vm !== lastVm) { rows.push({vm: threads[t].vm, y}); y += GROUP; lastVm = threads[t].vm; }
  rows.push({thread: t, y}); laneY[t] = y; y += LANE;
}
const HEIGHT = y + 8;

// Per lane, every interval in order: [thread, state, t0, t1, s0, s1, detail], decoded from the
// columns of timeline_data.cpp (t0 and s0 are deltas from the lane's previous interval).
const byLane = Array.from({length: nT}, () => []);
{
  const c = D.iv;
  let lane = -1, t0 = 0, s0 = 0;
  for (let k = 0; k < c.thread.length; k++) {
    if (c.thread[k] !== lane) { lane = c.thread[k]; t0 = 0; s0 = 0; }
    t0 += c.t0[k]; s0 += c.s0[k];
    byLane[lane].push([lane, c.state[k], t0, t0 + c.dt[k], s0, s0 + c.ds[k], c.detail[k]]);
  }
}
// drawn: per lane, what the last draw showed (single intervals and density bands), for hovering.
let drawn = Array.from({length: nT}, () => []), bandsDrawn = 0, intervalsDrawn = 0;
const holdsCpu = s => s <= 4;  // running, callback, nested, hw_int, servicing (timeline_model.hpp)

// One shared priority scale: the distinct values in rank order (they span 0 to 2^31, so a linear
// scale would flatten every step but the critical-section boost).
const prioValues = [...new Set(D.prio.map(p => p[3]))].sort((a, b) => a - b);
const prioRank = new Map(prioValues.map((v, i) => [v, i]));
const prioByThread = Array.from({length: nT}, () => []);
for (const p of D.prio) prioByThread[p[0]].push(p);
const hex = v => '0x' + v.toString(16).toUpperCase();

let axis = D.axis, v0 = 0, v1 = 1, hl = {threads: new Set(), events: new Set(), ids: new Set()};
const extent = () => (axis === 'time' ? Math.max(D.end_us, 1) : Math.max(D.steps, 1));
// pos: an item's coordinate on the current axis; time pairs (t, step) are stored side by side.
const P = (t, s) => (axis === 'time' ? t : s);
function fit() { v0 = 0; v1 = extent(); v1 += (v1 - v0) * (D.outcome.name === 'finished' ? 0.01 : 0.25); }
function plotW() { return canvas.clientWidth - LABEL - 12; }
const X = p => LABEL + (p - v0) / (v1 - v0) * plotW();
const invX = x => v0 + (x - LABEL) / plotW() * (v1 - v0);

function niceStep(range, n) {
  const raw = range / n, pow = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) if (raw <= m * pow) return m * pow;
  return 10 * pow;
}
function fmtPos(p, step) {
  if (axis === 'steps') return 'step ' + Math.round(p);
  const ms = p / 1000, digits = Math.max(0, Math.min(3, -Math.floor(Math.log10(Math.max(step / 1000, 1e-3)))));
  return ms.toFixed(digits) + ' ms';
}
function fmtWhen(t, s) { return (t / 1000).toFixed(3) + ' ms, step ' + s; }

function resize() {
  const w = document.getElementById('view').clientWidth, dpr = window.devicePixelRatio || 1;
  canvas.style.width = w + 'px'; canvas.style.height = HEIGHT + 'px';
  canvas.width = Math.round(w * dpr); canvas.height = Math.round(HEIGHT * dpr);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  draw();
}

function drawAxis() {
  const step = niceStep(v1 - v0, Math.max(2, plotW() / 110));
  ctx.font = '11px system-ui,sans-serif'; ctx.textBaseline = 'middle';
  for (let p = Math.ceil(v0 / step) * step; p <= v1; p += step) {
    const x = Math.round(X(p)) + 0.5;
    ctx.strokeStyle = '#eee'; ctx.beginPath(); ctx.moveTo(x, AXIS - 6); ctx.lineTo(x, HEIGHT); ctx.stroke();
    ctx.fillStyle = '#555'; ctx.fillText(fmtPos(p, step), x + 3, 12);
  }
  ctx.fillStyle = '#333'; ctx.fillText(axis === 'time' ? 'virtual time' : 'steps (log records)', 6, 12);
}

function drawLabels() {
  ctx.fillStyle = '#fff'; ctx.fillRect(0, AXIS, LABEL - 2, HEIGHT);
  ctx.font = '12px system-ui,sans-serif'; ctx.textBaseline = 'middle';
  ctx.fillStyle = '#333'; ctx.fillText('critical section owner', 10, AXIS + CRIT / 2);
  for (const r of rows) {
    if (r.vm !== undefined) {
      ctx.fillStyle = '#eceff1'; ctx.fillRect(0, r.y, canvas.clientWidth, GROUP);
      ctx.fillStyle = '#263238'; ctx.font = 'bold 12px system-ui,sans-serif'; ctx.fillText('VM: ' + r.vm, 6, r.y + GROUP / 2);
      continue;
    }
    const t = r.thread, on = hl.threads.has(t);
    ctx.fillStyle = C.tab; ctx.fillRect(0, r.y + 2, 6, LANE - 4);  // the lane tab: one per lane
    ctx.font = (on ? 'bold ' : '') + '12px system-ui,sans-serif'; ctx.fillStyle = '#111';
    ctx.fillText(threads[t].name + (threads[t].name === 'sys' ? ' (idle)' : ''), 12, r.y + BAR_Y + BAR_H / 2);
    ctx.font = '10px system-ui,sans-serif'; ctx.fillStyle = '#777';
    ctx.fillText('priority', 12, r.y + PRIO_Y + PRIO_H / 2);
  }
}

function prioY(t, v) {
  const n = prioValues.length, r = prioRank.get(v);
  return laneY[t] + PRIO_Y + PRIO_H - (n < 2 ? 0 : r * PRIO_H / (n - 1));
}

// laneItems: what lane t shows at the current zoom: each interval at least SMALL_PX wide as itself;
// runs of 3 or more narrower ones merged into density bands of at most BAND_PX (how many, the
// share on the CPU, the state it spent most in). Zooming in splits the bands back into intervals.
const SMALL_PX = 1.5, BAND_PX = 4;
function firstVisible(list) {  // the first interval ending at or after v0 (both coordinates grow along a lane)
  let lo = 0, hi = list.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (P(list[m][3], list[m][5]) < v0) lo = m + 1; else hi = m; }
  return lo;
}
function laneItems(t) {
  const list = byLane[t], out = [], pxPer = plotW() / (v1 - v0);
  for (let k = firstVisible(list); k < list.length; k++) {
    const a = list[k], q0 = P(a[2], a[4]), q1 = P(a[3], a[5]);
    if (q0 > v1) break;
    if (q1 <= q0) continue;
    if ((q1 - q0) * pxPer >= SMALL_PX) { out.push({kind: 'iv', a, q0, q1}); continue; }
    let j = k, busy = 0, total = 0;
    const per = new Array(STATE_COLORS.length).fill(0);
    while (j < list.length) {
      const b = list[j], r0 = P(b[2], b[4]), r1 = P(b[3], b[5]);
      if ((r1 - r0) * pxPer >= SMALL_PX || (r1 - q0) * pxPer > BAND_PX || r0 > v1) break;
      const w = Math.max(r1 - r0, 0);
      total += w; per[b[1]] += w; if (holdsCpu(b[1])) busy += w;
      j++;
    }
    if (j - k < 3) { out.push({kind: 'iv', a, q0, q1}); continue; }
    const last = list[j - 1];
    out.push({kind: 'band', a, last, q0, q1: P(last[3], last[5]), n: j - k, busy: total > 0 ? busy / total : 0,
      dominant: per.indexOf(Math.max(...per))});
    k = j - 1;
  }
  return out;
}

function drawLane(t) {
  const top = laneY[t];
  if (hl.threads.has(t)) { ctx.fillStyle = '#fff3b0'; ctx.fillRect(LABEL, top, plotW(), LANE); }
  ctx.strokeStyle = '#e0e0e0'; ctx.beginPath(); ctx.moveTo(LABEL, top + LANE - 0.5); ctx.lineTo(LABEL + plotW(), top + LANE - 0.5); ctx.stroke();
  drawn[t] = laneItems(t);
  for (const it of drawn[t]) {
    const x0 = Math.max(LABEL, X(it.q0)), x1 = Math.min(LABEL + plotW(), X(it.q1)), w = Math.max(1, x1 - x0);
    if (it.kind === 'iv') {
      intervalsDrawn++;
      ctx.fillStyle = STATE_COLORS[it.a[1]]; ctx.fillRect(x0, top + BAR_Y, w, BAR_H);
    } else {  // a density band: the state it spent most in, and how much of it on the CPU
      bandsDrawn++;
      ctx.globalAlpha = 0.45; ctx.fillStyle = STATE_COLORS[it.dominant]; ctx.fillRect(x0, top + BAR_Y, w, BAR_H);
      ctx.globalAlpha = 1; ctx.fillStyle = '#1b5e20';
      const h = Math.round(BAR_H * it.busy); ctx.fillRect(x0, top + BAR_Y + BAR_H - h, w, h);
    }
  }
  // The priority as a step line with its value at each step that has room for a label.
  const ps = prioByThread[t];
  if (!ps.length) return;
  ctx.strokeStyle = C.prio; ctx.lineWidth = 1.5; ctx.beginPath();
  let px = null, py = null;
  const labels = [];
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i], x = Math.min(Math.max(X(P(p[1], p[2])), LABEL), LABEL + plotW()), yy = prioY(t, p[3]);
    if (px === null) ctx.moveTo(x, yy); else { ctx.lineTo(x, py); ctx.lineTo(x, yy); }
    px = x; py = yy;
    // Steps closer than a label: the last of them wins (a claim right after a run; a boost queued
    // 5 ms into a 500 ms view), so the label names the value the line then keeps.
    const prev = labels.length ? labels[labels.length - 1] : null;
    if (prev && x - prev[0] <= 46) { if (x < LABEL + plotW() - 10 || x - prev[0] < 3) labels[labels.length - 1] = [x, yy, hex(p[3])]; }
    else if (x < LABEL + plotW() - 10) labels.push([x, yy, hex(p[3])]);
  }
  ctx.lineTo(LABEL + plotW(), py); ctx.stroke(); ctx.lineWidth = 1;
  ctx.font = '10px system-ui,sans-serif'; ctx.fillStyle = C.prio; ctx.textBaseline = 'bottom';
  for (const [x, yy, s] of labels) ctx.fillText(s, x + 2, Math.max(yy, top + PRIO_Y + 9));
  ctx.textBaseline = 'middle';
}

function drawCrit() {
  const top = AXIS + 3;
  ctx.strokeStyle = '#e0e0e0'; ctx.strokeRect(LABEL + 0.5, top + 0.5, plotW(), CRIT - 6);
  ctx.font = '11px system-ui,sans-serif'; ctx.textBaseline = 'middle';
  for (const c of D.crit) {
    const q0 = P(c[1], c[3]), q1 = P(c[2], c[4]);
    if (q1 < v0 || q0 > v1) continue;
    const x0 = Math.max(LABEL, X(q0)), x1 = Math.min(LABEL + plotW(), X(q1)), w = Math.max(1, x1 - x0);
    ctx.fillStyle = C.crit; ctx.fillRect(x0, top + 2, w, CRIT - 10);
    if (w > 30) { ctx.fillStyle = '#fff'; ctx.fillText(threads[c[0]].name, x0 + 3, top + CRIT / 2 - 2); }
  }
}

function laneMid(t) { return laneY[t] + BAR_Y + BAR_H / 2; }
function arrowStyle(a) {
  const end = a[7];
  if (end === 'wake') return [C.wake, []];
  if (end === 'lost') return [C.signalNone, [3, 3]];
  if (end === 'cancelled') return [C.cancelled, [4, 3]];
  if (end === 'timed_out' || a[8]) return [C.timedOut, end === 'pending' ? [6, 4] : []];
  return [C.arrow, end === 'pending' ? [6, 4] : []];
}
function arrowGeom(a) {
  const x0 = X(P(a[2], a[3])), y0 = laneMid(a[1]);
  const to = a[4] >= 0 ? a[4] : a[1], x1 = X(P(a[5], a[6])), y1 = to === a[1] ? y0 : laneMid(to);
  return [x0, y0, x1, y1];
}
function drawArrows() {
  const visible = D.arrows.filter(a => !(Math.max(P(a[2], a[3]), P(a[5], a[6])) < v0 || Math.min(P(a[2], a[3]), P(a[5], a[6])) > v1));
  // A busy view: wake-ups (one per switch in a hand-off loop) would cover the lanes; they come
  // back when zoomed in. Events keep their arrows, without heads when there are very many.
  const busy = visible.length > 400, thin = visible.length > 3000;
  ctx.save(); ctx.beginPath(); ctx.rect(LABEL, AXIS, plotW(), HEIGHT); ctx.clip();
  for (const a of visible) {
    if (busy && a[7] === 'wake') continue;
    const [x0, y0, x1, y1] = arrowGeom(a), [color, dash] = arrowStyle(a), on = hl.events.has(a[0]) && a[0] > 0;
    ctx.setLineDash(dash); ctx.strokeStyle = color; ctx.lineWidth = on ? 4 : a[7] === 'wake' ? 1.5 : 2;
    if (on) { ctx.save(); ctx.strokeStyle = '#ffd54f'; ctx.lineWidth = 9; curve(x0, y0, x1, y1); ctx.stroke(); ctx.restore(); }
    curve(x0, y0, x1, y1); ctx.stroke(); ctx.setLineDash([]);
    if (!thin) head(x0, y0, x1, y1, color);
    if (a[7] === 'pending' && x1 - x0 > 60) {
      ctx.fillStyle = color; ctx.font = '11px system-ui,sans-serif';
      ctx.fillText('#' + a[0] + ' still pending', x1 - 100, y1 - (a[4] >= 0 && a[4] !== a[1] ? 8 : 14));
    }
  }
  ctx.restore(); ctx.lineWidth = 1;
}
function curve(x0, y0, x1, y1) {
  ctx.beginPath(); ctx.moveTo(x0, y0);
  if (Math.abs(y1 - y0) < 1) ctx.quadraticCurveTo((x0 + x1) / 2, y0 - 16, x1, y1);
  else ctx.bezierCurveTo(x0 + Math.max(12, (x1 - x0) / 3), y0, x1 - Math.max(12, (x1 - x0) / 3), y1, x1, y1);
}
function head(x0, y0, x1, y1, color) {
  const ang = Math.abs(y1 - y0) < 1 ? Math.atan2(16, Math.max(1, (x1 - x0) / 2)) : 0;
  ctx.save(); ctx.translate(x1, y1); ctx.rotate(ang); ctx.fillStyle = color;
  ctx.beginPath(); ctx.moveTo(0, 0); ctx.lineTo(-8, -4); ctx.lineTo(-8, 4); ctx.closePath(); ctx.fill(); ctx.restore();
}

// label: a marker's words on a white ground, readable over any state's colour.
function label(text, x, yy, color) {
  ctx.font = 'bold 11px system-ui,sans-serif'; ctx.textBaseline = 'middle';
  ctx.fillStyle = '#fff'; ctx.fillRect(x - 2, yy - 7, ctx.measureText(text).width + 4, 14);
  ctx.fillStyle = color; ctx.fillText(text, x, yy);
}
const MARK_STYLE = {irq: C.irq, exec_int: '#6d4c41', slice: C.slice, timeout: C.timeout, timeout_set: '#ef6c00',
  signal_none: C.signalNone, spurious: C.spurious, event_call: '#3949ab', warning: '#f9a825', log: '#9e9e9e',
  choice: C.choice, finish: '#212121', outcome: C.outcome};
function drawMarks() {
  ctx.save(); ctx.beginPath(); ctx.rect(LABEL - 6, AXIS, plotW() + 12, HEIGHT); ctx.clip();
  for (const m of D.marks) {
    const kind = m[1], top = laneY[m[0]];
    if (kind === 'starved') {  // the starved wait: an outline over the lane from "since" to the end
      const x0 = Math.max(LABEL, X(P(m[2], m[3]))), x1 = Math.min(LABEL + plotW(), X(P(m[5], m[6])));
      ctx.strokeStyle = C.starved; ctx.lineWidth = 3; ctx.setLineDash([7, 4]);
      ctx.strokeRect(x0 + 1.5, top + 1.5, Math.max(2, x1 - x0 - 3), BAR_H + 6); ctx.setLineDash([]); ctx.lineWidth = 1;
      ctx.fillStyle = C.starved; ctx.font = 'bold 11px system-ui,sans-serif'; ctx.textBaseline = 'middle';
      ctx.fillText('starved: waits for the CPU', Math.max(x0 + 56, Math.min(x1 - 170, LABEL + 56)), top + BAR_Y + BAR_H + 10);  // right of the priority label
      continue;
    }
    const p = P(m[2], m[3]);
    if (p < v0 || p > v1) continue;
    const x = Math.round(X(p)) + 0.5, color = MARK_STYLE[kind] || '#000', on = [...hl.ids].some(id => str(m[4]).includes(id));
    if (on) { ctx.fillStyle = '#ffd54f'; ctx.beginPath(); ctx.arc(x, top + BAR_Y, 11, 0, 7); ctx.fill(); }
    ctx.fillStyle = color; ctx.strokeStyle = color;
    if (kind === 'outcome') {
      ctx.lineWidth = 2; ctx.beginPath(); ctx.moveTo(x, AXIS); ctx.lineTo(x, HEIGHT); ctx.stroke(); ctx.lineWidth = 1;
      ctx.font = 'bold 11px system-ui,sans-serif'; ctx.textAlign = 'right'; ctx.fillText(D.outcome.name, x - 4, AXIS + CRIT + 6);
      ctx.textAlign = 'left';
    } else if (kind === 'signal_none') {  // a big X: the _SignalID that woke no one
      ctx.lineWidth = 3; ctx.beginPath(); ctx.moveTo(x - 6, top + 6); ctx.lineTo(x + 6, top + 18);
      ctx.moveTo(x + 6, top + 6); ctx.lineTo(x - 6, top + 18); ctx.stroke(); ctx.lineWidth = 1;
      label('_SignalID woke no one', x + 9, top + 13, color);
    } else if (kind === 'spurious') {
      ctx.font = 'bold 15px system-ui,sans-serif'; ctx.fillText('!', x - 2, top + 9);
      label('spurious wake-up', x + 6, top + 12, color);
    } else if (kind === 'irq' || kind === 'exec_int') {  // a line through the lane under a triangle
      ctx.fillRect(x - 1, top, 2, LANE - 2);
      ctx.beginPath(); ctx.moveTo(x - 7, top - 1); ctx.lineTo(x + 7, top - 1); ctx.lineTo(x, top + 9); ctx.closePath(); ctx.fill();
      ctx.font = '10px system-ui,sans-serif'; ctx.fillText(kind === 'irq' ? 'interrupt' : 'Exec_Int', x + 4, top + LANE - 8);
    } else if (kind === 'timeout' || kind === 'timeout_set') {
      ctx.lineWidth = 2; ctx.beginPath(); ctx.arc(x, top + BAR_Y + BAR_H / 2, 5, 0, 7); ctx.stroke(); ctx.lineWidth = 1;
      if (kind === 'timeout') { ctx.beginPath(); ctx.moveTo(x, top + BAR_Y + BAR_H / 2); ctx.lineTo(x, top + BAR_Y + 4); ctx.stroke(); }
    } else if (kind === 'slice') {
      ctx.fillRect(x - 1, top + BAR_Y - 3, 2, BAR_H + 6);
    } else if (kind === 'choice') {
      ctx.beginPath(); ctx.moveTo(x, top - 2); ctx.lineTo(x + 6, top + 5); ctx.lineTo(x, top + 12); ctx.lineTo(x - 6, top + 5);
      ctx.closePath(); ctx.fill(); ctx.strokeStyle = '#fff'; ctx.stroke();
    } else if (kind === 'finish') {
      ctx.fillRect(x - 1, top + BAR_Y, 3, BAR_H);
    } else {
      ctx.beginPath(); ctx.arc(x, top + BAR_Y + BAR_H + 2, kind === 'log' ? 2 : 3, 0, 7); ctx.fill();
    }
  }
  ctx.restore();
}

// drawTail: past the end, each lane shows the state its thread was left in (for a stuck run, the
// waits nothing will satisfy), hatched, with the wait's object.
function drawTail() {
  if (D.outcome.name === 'finished') return;
  const xe = X(extent()), room = LABEL + plotW() - xe;
  if (room < 8) return;
  for (let t = 0; t < nT; t++) {
    const l = byLane[t], a = l.length ? l[l.length - 1] : null;
    if (!a || a[5] !== D.steps) continue;
    const top = laneY[t];
    ctx.fillStyle = STATE_COLORS[a[1]]; ctx.fillRect(xe, top + BAR_Y, room, BAR_H);
    ctx.strokeStyle = '#fff9'; ctx.beginPath();
    for (let x = xe; x < xe + room + BAR_H; x += 6) { ctx.moveTo(x, top + BAR_Y + BAR_H); ctx.lineTo(x + BAR_H, top + BAR_Y); }
    ctx.save(); ctx.rect(xe, top, room, LANE); ctx.clip(); ctx.stroke();
    ctx.fillStyle = '#222'; ctx.font = '11px system-ui,sans-serif'; ctx.textBaseline = 'middle';
    ctx.fillText('at the end: ' + D.states[a[1]].code + (a[6] >= 0 ? ', ' + str(a[6]) : ''), xe + 4, top + BAR_Y + BAR_H + 9);
    ctx.restore();
  }
}

function draw() {
  const w = canvas.clientWidth;
  ctx.clearRect(0, 0, w, HEIGHT); ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, w, HEIGHT);
  drawAxis();
  drawCrit();
  bandsDrawn = 0; intervalsDrawn = 0;
  for (let t = 0; t < nT; t++) drawLane(t);
  document.getElementById('meta').textContent = metaText();
  drawTail();
  drawArrows();
  drawMarks();
  drawLabels();
}

// --- what is under the mouse ------------------------------------------------------------------
function laneAt(yy) { for (const r of rows) if (r.thread !== undefined && yy >= r.y && yy < r.y + LANE) return r.thread; return -1; }
function describeAt(mx, my) {
  const p = invX(mx), tol = (v1 - v0) / plotW() * 6;
  for (const m of D.marks) {
    if (m[1] === 'starved') continue;
    const q = P(m[2], m[3]);
    if (Math.abs(q - p) <= tol && Math.abs(my - (laneY[m[0]] + 8)) < 12) return `${threads[m[0]].name} at ${fmtWhen(m[2], m[3])}\n${m[1]}: ${str(m[4])}`;
  }
  for (const a of D.arrows) {
    const [x0, y0, x1, y1] = arrowGeom(a);
    const len2 = (x1 - x0) ** 2 + (y1 - y0) ** 2, u = len2 ? Math.max(0, Math.min(1, ((mx - x0) * (x1 - x0) + (my - y0) * (y1 - y0)) / len2)) : 0;
    if (Math.hypot(mx - (x0 + u * (x1 - x0)), my - (y0 + u * (y1 - y0))) < 5) return arrowText(a);
  }
  const t = laneAt(my);
  if (t < 0) {
    for (const c of D.crit) if (my > AXIS && my < AXIS + CRIT && P(c[1], c[3]) <= p && p < P(c[2], c[4]))
      return `critical section owned by ${threads[c[0]].name}\n${fmtWhen(c[1], c[3])} to ${fmtWhen(c[2], c[4])}`;
    return '';
  }
  const top = laneY[t];
  if (my >= top + PRIO_Y - 2) {
    let last = null;
    for (const q of prioByThread[t]) if (P(q[1], q[2]) <= p) last = q;
    if (last) return `${threads[t].name}: priority ${hex(last[3])} since ${fmtWhen(last[1], last[2])}\n${str(last[4])}`;
  }
  for (const it of drawn[t]) {
    const a = it.a;
    if (!(it.q0 <= p && p < it.q1)) continue;
    if (it.kind === 'iv')
      return `${threads[t].name}: ${D.states[a[1]].label}\n${fmtWhen(a[2], a[4])} to ${fmtWhen(a[3], a[5])}${a[6] >= 0 ? '\n' + str(a[6]) : ''}`;
    return `${threads[t].name}: ${it.n} intervals too small to draw at this zoom, merged (zoom in to see them)\n` +
      `${(it.busy * 100).toFixed(1)}% on the CPU, mostly ${D.states[it.dominant].label}\n` +
      `${fmtWhen(a[2], a[4])} to ${fmtWhen(it.last[3], it.last[5])}`;
  }
  return '';
}
function arrowText(a) {
  const from = threads[a[1]].name, to = a[4] >= 0 ? threads[a[4]].name : '';
  if (a[7] === 'wake') return `${str(a[9])}\nat ${fmtWhen(a[2], a[3])}`;
  if (a[7] === 'lost') return `lost wake-up: ${str(a[9])}\nsignalled at ${fmtWhen(a[2], a[3])}, before ${to} blocked on it at ${fmtWhen(a[5], a[6])}`;
  const ends = {run: `ran on ${to}`, timed_out: `timed out, ran on ${to} with carry set`, cancelled: `cancelled by ${to}`,
    pending: 'still pending at the end' + (to ? ` (target ${to})` : '')};
  return `event #${a[0]}: ${str(a[9])}\nqueued by ${from} at ${fmtWhen(a[2], a[3])}\n${ends[a[7]]} at ${fmtWhen(a[5], a[6])}` +
    (a[8] && a[7] !== 'timed_out' ? '\nits time-out fired' : '') + (a[10] >= 0 ? '\nheld back: ' + str(a[10]) : '');
}

// --- zoom, pan, axis ------------------------------------------------------------------------------
canvas.addEventListener('wheel', e => {
  e.preventDefault();
  const p = invX(Math.max(LABEL, e.offsetX)), f = Math.exp(e.deltaY * 0.0015);
  const span = Math.max((v1 - v0) * f, axis === 'steps' ? 4 : 1);
  v0 = p - (p - v0) * span / (v1 - v0); v1 = v0 + span; draw();
}, {passive: false});
let drag = null;
canvas.addEventListener('mousedown', e => { drag = {x: e.clientX, v0, v1}; canvas.style.cursor = 'grabbing'; });
window.addEventListener('mouseup', () => { drag = null; canvas.style.cursor = 'grab'; });
canvas.addEventListener('mousemove', e => {
  if (drag) {
    const dv = (e.clientX - drag.x) / plotW() * (drag.v1 - drag.v0);
    v0 = drag.v0 - dv; v1 = drag.v1 - dv; draw(); tip.style.display = 'none'; return;
  }
  const text = e.offsetX > LABEL ? describeAt(e.offsetX, e.offsetY) : '';
  tip.style.display = text ? 'block' : 'none';
  tip.textContent = text; tip.style.left = (e.clientX + 14) + 'px'; tip.style.top = (e.clientY + 14) + 'px';
});
canvas.addEventListener('mouseleave', () => { tip.style.display = 'none'; });
function zoom(f) { const m = (v0 + v1) / 2, h = (v1 - v0) * f / 2; v0 = m - h; v1 = m + h; draw(); }
document.getElementById('zin').onclick = () => zoom(0.5);
document.getElementById('zout').onclick = () => zoom(2);
document.getElementById('fit').onclick = () => { fit(); draw(); };
function setAxis(a) {
  axis = a; fit();
  document.getElementById('ax-time').className = a === 'time' ? 'on' : '';
  document.getElementById('ax-steps').className = a === 'steps' ? 'on' : '';
  draw();
}
document.getElementById('ax-time').onclick = () => setAxis('time');
document.getElementById('ax-steps').onclick = () => setAxis('steps');

// --- the header, the legend and the panel ---------------------------------------------------------
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  Object.assign(e, attrs || {});
  for (const k of kids) e.append(k);
  return e;
}
function legend() {
  const L = document.getElementById('legend');
  D.states.forEach((s, i) => L.append(el('span', {}, swatch(STATE_COLORS[i]), s.label)));
  for (const [c, w] of [['#1b5e20', 'density band: share on the CPU'], [C.prio, 'priority (one shared rank scale)'],
    [C.crit, 'critical-section owner'], [C.arrow, 'event: queued to run'], [C.timedOut, 'timed out'],
    [C.cancelled, 'cancelled'], [C.wake, 'wake-up (_SignalID, Signal_Semaphore)'], [C.irq, 'interrupt'],
    [C.signalNone, '_SignalID woke no one (dotted: to the later block it missed)'], [C.spurious, 'spurious wake-up'], [C.slice, 'time slice over'],
    [C.choice, "explore's non-default choice"]])
    L.append(el('span', {}, swatch(c), w));
}
function swatch(c) { const i = el('i'); i.style.background = c; return i; }

function refs(text) {
  // Thread names (longest first), event numbers and quoted block IDs become clickable.
  const names = threads.map(t => t.name).sort((a, b) => b.length - a.length).map(n => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(`('[^'\\n]*')|(#\\d+)|(?<![\\w-])(${names.join('|') || '\\u0000'})(?![\\w-])`, 'g');
  const out = document.createDocumentFragment();
  let at = 0, m;
  while ((m = re.exec(text))) {
    out.append(text.slice(at, m.index));
    const span = el('span', {className: 'ref', textContent: m[0]});
    if (m[1]) span.dataset.id = m[1]; else if (m[2]) span.dataset.event = m[2].slice(1);
    else span.dataset.thread = threads.findIndex(t => t.name === m[3]);
    out.append(span); at = m.index + m[0].length;
  }
  out.append(text.slice(at));
  return out;
}
function toggle(span) {
  const d = span.dataset, on = !span.classList.contains('hl');
  hl = {threads: new Set(), events: new Set(), ids: new Set()};
  for (const s of document.querySelectorAll('.ref.hl')) s.classList.remove('hl');
  if (on) {
    for (const s of document.querySelectorAll('.ref')) if (s.textContent === span.textContent) s.classList.add('hl');
    if (d.thread !== undefined) hl.threads.add(+d.thread);
    if (d.event !== undefined) hl.events.add(+d.event);
    if (d.id !== undefined) hl.ids.add(d.id);
    if (d.event !== undefined) {  // bring the event into view
      const a = D.arrows.find(x => x[0] === +d.event && x[7] !== 'wake');
      if (a) { const p0 = P(a[2], a[3]), p1 = P(a[5], a[6]), pad = Math.max((p1 - p0) * 0.15, axis === 'steps' ? 5 : 50);
        if (p0 < v0 || p1 > v1) { v0 = p0 - pad; v1 = p1 + pad; } }
    }
  }
  draw();
}
function metaText() {
  return `${nT} threads, ${(D.end_us / 1000).toFixed(3)} ms, ${D.steps} log records, ${D.iv.thread.length} intervals` +
    (bandsDrawn ? ` (${bandsDrawn} density bands at this zoom: zoom in to split them)` : '');
}
function panel() {
  const P_ = document.getElementById('panel'), o = D.outcome;
  const badge = document.getElementById('badge');
  badge.textContent = o.name; badge.className = 'badge ' + o.name;
  document.getElementById('meta').textContent = metaText();
  document.title = `vmmsim: ${o.name}`;
  P_.append(el('h2', {textContent: 'Outcome: ' + o.name + ' (exit ' + o.exit_code + ')'}));
  P_.append(el('pre', {id: 'diagnosis'}, refs(o.message || `finished at ${(D.end_us / 1000).toFixed(3)} ms`)));
  const events = D.arrows.filter(a => a[0] > 0);
  if (events.length) {
    P_.append(el('h2', {textContent: 'Events'}));
    const ul = el('ul');
    const end = {run: 'ran', timed_out: 'timed out, then ran with carry set', cancelled: 'cancelled', pending: 'still pending'};
    for (const a of events.slice(0, 12)) {
      const to = a[4] >= 0 ? threads[a[4]].name : '';
      ul.append(el('li', {}, refs(`#${a[0]} ${str(a[9]).replace(/ #\d+/, '')}: queued by ${threads[a[1]].name}, ` +
        `${end[a[7]]}${to && a[7] !== 'pending' ? ' on ' + to : ''}${a[10] >= 0 ? ' (' + str(a[10]).replace(/\n/g, '; ') + ')' : ''}`)));
    }
    if (events.length > 12) ul.append(el('li', {textContent: `... and ${events.length - 12} more (hover the arrows)`}));
    P_.append(ul);
  }
  const notable = D.marks.filter(m => ['signal_none', 'spurious', 'timeout', 'choice', 'warning'].includes(m[1]));
  if (notable.length) {
    P_.append(el('h2', {textContent: 'Marked on the lanes'}));
    const ul = el('ul');
    for (const m of notable.slice(0, 40)) ul.append(el('li', {}, refs(`${fmtWhen(m[2], m[3])}, ${threads[m[0]].name}: ${str(m[4])}`)));
    P_.append(ul);
  }
  P_.append(el('p', {className: 'note', textContent: D.exact
    ? 'Derived from the log records and the annotation records (each thread\'s VM and base priority, other ' +
      'threads\' priority changes, where each callback returns).'
    : 'Derived from the log records. Estimated: each thread\'s VM (from the names the log uses), where a callback ' +
      'returns, and other threads\' priorities between their own records.'}));
  P_.addEventListener('click', e => { if (e.target.classList.contains('ref')) toggle(e.target); });
}

// A view to open at: page.html#axis=steps&from=100&to=160 (positions on that axis: steps, or
// microseconds of virtual time); make check-browser zooms into a long run so.
function fromHash() {
  const h = new URLSearchParams(location.hash.slice(1));
  if (h.get('axis') === 'time' || h.get('axis') === 'steps') setAxis(h.get('axis'));
  const a = parseFloat(h.get('from')), b = parseFloat(h.get('to'));
  if (isFinite(a) && isFinite(b) && b > a) { v0 = a; v1 = b; draw(); }
}
legend();
panel();
setAxis(axis);
window.addEventListener('resize', resize);
window.addEventListener('hashchange', fromHash);
resize();
fromHash();
window.vmmsimTimeline = {lanes: D.lanes.length, arrows: D.arrows.length, marks: D.marks.length};
