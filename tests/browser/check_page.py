#!/usr/bin/env python3
"""check_page.py: issue 14's browser test of one example's timeline page, in pixels.

Usage: check_page.py SCREENSHOT.png TRACE.jsonl [--bands | --separate-intervals]
The screenshot is Chromium's (headless, device scale factor 1) of the page vmmsim wrote for the
run whose --trace is TRACE.jsonl. Checks what a person would see:
- the page is not blank (many colours, a good share of non-white pixels);
- one lane tab (timeline.js C.tab, #3949ab) per thread of the log;
- where an event queued by one thread ran on another, an arrow (C.arrow, #8e24aa) is drawn in
  the plot (below the first lane tab: the legend's swatch above it does not count);
- a marker for each kind of record the example turns on: interrupts (C.irq), _SignalID that woke
  no one (C.signalNone), spurious wake-ups (C.spurious);
- the diagnosis panel (the right-hand 360 px) has text when the run did not finish;
- with --bands (a long run, fitted): density bands (their CPU share, #1b5e20) are drawn;
- with --separate-intervals (the same run zoomed in, page.html#axis=steps&from=..&to=..): no
  band, and some lane's bar row shows at least 5 separate running intervals (STATE_COLORS[0],
  #43a047, runs of 3 px or more with other colours between them).
Standard library only: PNG is decoded with zlib."""
import json, struct, sys, zlib

def read_png(path):
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
    pos, idat, w = 8, b'', 0
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
            assert depth == 8 and ctype in (2, 6), '8-bit RGB(A) expected'
            bpp = 3 if ctype == 2 else 4
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    raw, stride = zlib.decompress(idat), w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(w)])
        prev = line
    return w, h, rows

def near(p, q, tol=24):
    return all(abs(a - b) <= tol for a, b in zip(p, q))

def rgb(h):
    return tuple(int(h[i:i + 2], 16) for i in (1, 3, 5))

TAB, ARROW = rgb('#3949ab'), rgb('#8e24aa')
MARKS = {'irq': rgb('#fb8c00'), 'signal': rgb('#e53935'), 'wake_spurious': rgb('#d81b60')}

BAND, RUNNING = rgb('#1b5e20'), rgb('#43a047')

def bar_rows(px, tab_x):
    """The y of each lane's bar row: a lane tab starts 2 px below the lane's top, its bar is
    4..20 px below the top (timeline.js BAR_Y, BAR_H)."""
    rows, inside = [], False
    for y in range(len(px)):
        on = px[y][tab_x + 2] == TAB
        if on and not inside: rows.append(y - 2 + 4 + 8)
        inside = on
    return rows

def check_zoom(px, w, tab_x, mode, failures):
    rows = bar_rows(px, tab_x)
    x0, x1 = tab_x + 175, w - 372  # the plot: right of the labels (LABEL), left of the panel
    band_px = sum(near(px[y][x], BAND, 10) for y in rows for x in range(x0, x1))
    if mode == '--bands':
        if band_px < 50: failures.append(f'a long run, fitted: only {band_px} density-band pixels')
        return
    if band_px > 0: failures.append(f'zoomed in: {band_px} density-band pixels (bands should have split)')
    best = 0
    for y in rows:
        runs, length = 0, 0
        for x in range(x0, x1):
            if near(px[y][x], RUNNING, 10): length += 1
            else:
                runs += length >= 3; length = 0
        runs += length >= 3
        best = max(best, runs)
    if best < 5: failures.append(f'zoomed in: at most {best} separate running intervals in a lane')

def main():
    png, trace = sys.argv[1], sys.argv[2]
    mode = sys.argv[3] if len(sys.argv) > 3 else None
    w, h, px = read_png(png)
    log = [json.loads(l) for l in open(trace)]
    outcome = log[-1]
    threads = set()
    for r in log[:-1]:
        if r['thread'] != '-': threads.add(r['thread'])
        for k in ('from', 'target', 'owner'):
            if isinstance(r.get(k), str) and r[k] != '-': threads.add(r[k])
        if r['kind'] in ('suspend', 'resume'): threads.add(r['vm'])  # a suspended VM's thread has a lane
    failures = []
    colours = set(); nonwhite = 0
    for row in px[::3]:
        for p in row[::3]:
            colours.add(p)
            nonwhite += p != (255, 255, 255)
    share = nonwhite / (len(px[::3]) * len(px[0][::3]))
    if len(colours) < 50 or share < 0.03: failures.append(f'blank page ({len(colours)} colours, {share:.1%} non-white)')
    # Lane tabs: the leftmost column holding the tab colour; count its vertical runs.
    tab_x = next((x for x in range(min(w, 400)) if any(px[y][x] == TAB for y in range(h))), None)
    lanes, first_tab = 0, None
    if tab_x is not None:
        inside = False
        for y in range(h):
            on = px[y][tab_x + 2] == TAB
            if on and not inside:
                lanes += 1
                first_tab = first_tab if first_tab is not None else y
            inside = on
    if lanes != len(threads): failures.append(f'{lanes} lane tabs drawn, {len(threads)} threads in the log')
    # Arrows: an event queued on one thread that ran on another.
    queued = {r['event']: r['thread'] for r in log if r['kind'] == 'event_queued' and 'event' in r}
    crossed = any(r['kind'] in ('event_run', 'event_run_timed_out') and 'event' in r and queued.get(r['event'], r['thread']) != r['thread'] for r in log)
    pending_cross = outcome['outcome'] != 'finished' and any(e for e in queued if not any(r.get('event') == e and r['kind'].startswith('event_run') for r in log))
    top = first_tab or 0
    plot = [row[tab_x or 0:w - 360] for row in px[top:]]
    arrow_px = sum(near(p, ARROW) for row in plot for p in row)
    if (crossed or pending_cross) and arrow_px < 20: failures.append(f'an event crossed threads but only {arrow_px} arrow pixels')
    for kind, colour in MARKS.items():  # (a zoomed view need not include them)
        if mode != '--separate-intervals' and any(r['kind'] == kind for r in log):
            n = sum(near(p, colour, 16) for row in plot for p in row)
            if n < 10: failures.append(f'{kind} records but only {n} marker pixels')
    if outcome['outcome'] != 'finished':
        panel = [row[w - 350:] for row in px[:min(h, 400)]]
        dark = sum(sum(p) < 200 for row in panel for p in row)
        if dark < 300: failures.append(f'the diagnosis panel looks empty ({dark} dark pixels)')
    if mode and tab_x is not None: check_zoom(px, w, tab_x, mode, failures)
    name = png.rsplit('/', 1)[-1]
    if failures:
        print(f'FAIL {name}: ' + '; '.join(failures)); return 1
    print(f'ok   {name}: {lanes} lanes, {arrow_px} arrow pixels, {len(colours)} colours')
    return 0

sys.exit(main())
