#!/usr/bin/python3
"""Drives the running console through the AT-SPI accessibility tree, as a screen-reader user would.

Started by run-a11y-test.sh inside Xvfb and a private D-Bus session, with the console already running.
It finds the role x permission matrix by its accessible name, grants a permission with a click on
the cell and revokes it again with Space, and after each change checks, through the CLI twin, that
the workspace file and the audit log hold it. Then it saves a PNG of each of the four pages.

Exit status: 0 passed, 1 failed (the reason is printed), 77 a needed module is missing.
"""

import argparse
import ctypes
import ctypes.util
import json
import os
import struct
import subprocess
import sys
import time
import zlib

try:
    import pyatspi
except ImportError as error:  # the launcher checks this first; kept for direct runs
    print(f"SKIP: python3-pyatspi is not installed ({error})", file=sys.stderr)
    sys.exit(77)

MATRIX_NAME = "Role and permission matrix"
NAVIGATION_NAME = "Pages"
# The four pages, in the navigation list's order: its item's accessible name, a widget (accessible
# name, role) that only that page shows, and the screenshot's file name.
PAGES = [
    ("Roles & permissions", (MATRIX_NAME, "table"), "01-roles-and-permissions.png"),
    ("API keys", ("API keys per role", "table"), "02-api-keys.png"),
    ("OAuth connection", ("Connection", "panel"), "03-oauth-connection.png"),
    ("Audit trail", ("Audit entries", "table"), "04-audit-trail.png"),
]
# A default role and a permission it does not have (DefaultPolicy): the test grants it, then revokes it.
ROLE = "marketer"
PERMISSION = "canDeleteProfiles"


class Failure(Exception):
    pass


def log(message):
    print(f"[a11y {time.monotonic() - START:5.1f}s] {message}", flush=True)


def poll(what, probe, timeout=10.0, interval=0.05):
    """Calls probe until it returns something true; Failure naming `what` after timeout seconds."""
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            value = probe()
            if value:
                return value
        except Failure:
            raise
        except Exception as error:  # the tree changes under us: a stale object, a D-Bus hiccup
            last_error = error
        if time.monotonic() > deadline:
            detail = f" (last error: {last_error})" if last_error else ""
            raise Failure(f"timed out after {timeout:.0f} s waiting for {what}{detail}")
        time.sleep(interval)


def states(accessible):
    return accessible.getState()


def showing(accessible):
    s = states(accessible)
    return s.contains(pyatspi.STATE_SHOWING) and s.contains(pyatspi.STATE_VISIBLE)


def find(root, name, role):
    return pyatspi.findDescendant(root, lambda a: a is not None and a.name == name and a.getRoleName() == role)


def find_application(pid):
    def probe():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            raise Failure(f"the console (pid {pid}) exited before it showed up on the accessibility bus")
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            if app is not None and app.get_process_id() == pid:
                return app
        return None

    return poll(f"the console (pid {pid}) on the accessibility bus", probe, timeout=20)


def extents(accessible):
    box = accessible.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    return box.x, box.y, box.width, box.height


def click(accessible):
    """A left click in the middle of the object, through the AT-SPI device event controller (XTest)."""
    x, y, w, h = extents(accessible)
    if w <= 0 or h <= 0:
        raise Failure(f"“{accessible.name}” has no area on screen to click")
    pyatspi.Registry.generateMouseEvent(x + w // 2, y + h // 2, pyatspi.MOUSE_B1C)


def press_space():
    pyatspi.Registry.generateKeyboardEvent(0x20, None, pyatspi.KEY_SYM)  # XK_space


# ---- the CLI twin reads the workspace file on its own ----------------------------------------------


def cli(args, options):
    command = [options.cli, "--workspace", options.workspace] + args
    done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    return done.returncode, done.stdout, done.stderr


def expect_granted(options, granted):
    code, out, err = cli(["check", ROLE, PERMISSION], options)
    if code != (0 if granted else 1):
        raise Failure(
            f"the workspace file does not show {ROLE} {'with' if granted else 'without'} {PERMISSION}: "
            f"'klaviyo-rbac check {ROLE} {PERMISSION}' exited {code}: {(out + err).strip()}"
        )
    code, out, err = cli(["matrix"], options)
    if code != 0:
        raise Failure(f"'klaviyo-rbac matrix' exited {code}: {err.strip()}")
    rows = [line.split() for line in out.splitlines() if line.strip()]
    header, by_role = rows[0], {row[0]: row for row in rows[1:]}
    mark = by_role[ROLE][header.index(PERMISSION)]
    if mark != ("x" if granted else "."):
        raise Failure(f"'klaviyo-rbac matrix' shows '{mark}' for {ROLE} × {PERMISSION}")


def expect_audited(options, granted, actor):
    code, out, err = cli(["audit", "list", "--limit", "1", "--format", "jsonl"], options)
    if code != 0 or not out.strip():
        raise Failure(f"'klaviyo-rbac audit list' exited {code}: {(out + err).strip()}")
    entry = json.loads(out.strip().splitlines()[0])
    text = json.dumps(entry)
    verb = "grant" if granted else "revoke"
    problems = []
    if verb not in entry.get("action", ""):
        problems.append(f"action is '{entry.get('action')}', not a {verb}")
    if ROLE not in text or PERMISSION not in text:
        problems.append(f"it does not name {ROLE} and {PERMISSION}")
    if entry.get("actor") != actor:
        problems.append(f"actor is '{entry.get('actor')}', not '{actor}'")
    if entry.get("success") is not True:
        problems.append("it is not marked as succeeded")
    if problems:
        raise Failure("the newest audit entry is wrong: " + "; ".join(problems) + f"\n  entry: {text[:600]}")
    return entry


# ---- screenshots: Xlib through ctypes (libx11-6 comes with Qt's xcb plugin and Xvfb), PNG by zlib --------


class XImage(ctypes.Structure):
    _fields_ = [
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("xoffset", ctypes.c_int),
        ("format", ctypes.c_int),
        ("data", ctypes.POINTER(ctypes.c_ubyte)),
        ("byte_order", ctypes.c_int),
        ("bitmap_unit", ctypes.c_int),
        ("bitmap_bit_order", ctypes.c_int),
        ("bitmap_pad", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("bytes_per_line", ctypes.c_int),
        ("bits_per_pixel", ctypes.c_int),
        ("red_mask", ctypes.c_ulong),
        ("green_mask", ctypes.c_ulong),
        ("blue_mask", ctypes.c_ulong),
    ]


class Screen:
    def __init__(self):
        name = ctypes.util.find_library("X11")
        if not name:
            print("SKIP: libX11 (Debian package libx11-6) is not installed", file=sys.stderr)
            sys.exit(77)
        x = ctypes.CDLL(name)
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x.XDefaultRootWindow.restype = ctypes.c_ulong
        x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x.XDisplayWidth.argtypes = x.XDisplayHeight.argtypes = [ctypes.c_void_p, ctypes.c_int]
        x.XGetImage.restype = ctypes.POINTER(XImage)
        x.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_uint,
                                ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
        x.XDestroyImage.argtypes = [ctypes.POINTER(XImage)]
        x.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self.x = x
        self.display = x.XOpenDisplay(None)
        if not self.display:
            raise Failure(f"cannot open the X display {os.environ.get('DISPLAY')!r} for screenshots")
        self.width = x.XDisplayWidth(self.display, 0)
        self.height = x.XDisplayHeight(self.display, 0)

    def capture(self, box, path):
        """Saves the screen area box = (x, y, w, h), clipped to the screen, as an RGB PNG."""
        x0, y0 = max(0, box[0]), max(0, box[1])
        x1, y1 = min(self.width, box[0] + box[2]), min(self.height, box[1] + box[3])
        if x1 - x0 < 50 or y1 - y0 < 50:
            raise Failure(f"the window is not on screen (extents {box}) for {path}")
        image = self.x.XGetImage(self.display, self.x.XDefaultRootWindow(self.display), x0, y0, x1 - x0,
                                 y1 - y0, 0xFFFFFFFF, 2)  # AllPlanes, ZPixmap
        if not image:
            raise Failure(f"XGetImage failed for {path}")
        try:
            im = image.contents
            if im.bits_per_pixel != 32:
                raise Failure(f"the X screen has {im.bits_per_pixel} bits per pixel; run Xvfb with depth 24")
            raw = ctypes.string_at(im.data, im.bytes_per_line * im.height)
            masks = (im.red_mask, im.green_mask, im.blue_mask)
            # Byte offsets of red, green and blue inside a pixel's four bytes.
            shifts = [(mask & -mask).bit_length() - 1 for mask in masks]
            if masks != (0xFF << shifts[0], 0xFF << shifts[1], 0xFF << shifts[2]) or any(x % 8 for x in shifts):
                raise Failure(f"unexpected X pixel format (masks {[hex(m) for m in masks]})")
            offsets = [x // 8 if im.byte_order == 0 else 3 - x // 8 for x in shifts]  # 0 = LSBFirst
            rows = []
            for row in range(im.height):
                line = raw[row * im.bytes_per_line: row * im.bytes_per_line + 4 * im.width]
                out = bytearray(3 * im.width)
                for channel, offset in enumerate(offsets):
                    out[channel::3] = line[offset::4]
                rows.append(b"\x00" + bytes(out))
            colours = {rows[y][x:x + 3] for y in range(0, len(rows), 16) for x in range(1, 3 * im.width, 48)}
            width, height = im.width, im.height
        finally:
            self.x.XDestroyImage(image)
        if len(colours) < 8:
            raise Failure(f"the screenshot for {path} is almost blank ({len(colours)} colours): nothing was drawn")

        def chunk(kind, data):
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
               + chunk(b"IDAT", zlib.compress(b"".join(rows), 6)) + chunk(b"IEND", b""))
        with open(path, "wb") as f:
            f.write(png)
        return width, height


# ---- the test ------------------------------------------------------------------------------------------


def matrix_cell(table, row, column):
    return table.queryTable().getAccessibleAt(row, column)


def wait_cell(table, row, column, granted, how):
    want = f"{ROLE}, {PERMISSION}: {'granted' if granted else 'not granted'}"

    def probe():
        cell = matrix_cell(table, row, column)
        return cell if cell.name == want and states(cell).contains(pyatspi.STATE_CHECKED) == granted else None

    try:
        return poll(f"the cell to read “{want}”", probe, timeout=5)
    except Failure as failure:
        cell = matrix_cell(table, row, column)
        raise Failure(f"{how} did not change the cell: it reads “{cell.name}”, checked="
                      f"{states(cell).contains(pyatspi.STATE_CHECKED)} ({failure})")


def toggle_permission(app, options):
    table = poll(f"a table named “{MATRIX_NAME}”", lambda: find(app, MATRIX_NAME, "table"))
    poll("the matrix to be showing", lambda: showing(table))
    t = table.queryTable()
    if t.nRows < 1 or t.nColumns < 1:
        raise Failure(f"the matrix is empty ({t.nRows} rows, {t.nColumns} columns)")
    roles = [t.getRowHeader(r).name for r in range(t.nRows)]
    permissions = [t.getColumnHeader(c).name for c in range(t.nColumns)]
    log(f"matrix “{table.name}”: {t.nRows} roles {roles} × {t.nColumns} permissions")
    if ROLE not in roles or PERMISSION not in permissions:
        raise Failure(f"the matrix headers do not name role {ROLE} and permission {PERMISSION}: "
                      f"rows {roles}, columns {permissions}")
    row, column = roles.index(ROLE), permissions.index(PERMISSION)
    cell = wait_cell(table, row, column, False, "nothing")  # the starting point, as the default policy has it
    expect_granted(options, False)

    click(cell)
    wait_cell(table, row, column, True, "a click on the cell")
    expect_granted(options, True)
    expect_audited(options, True, options.actor)
    log(f"click granted {PERMISSION} to {ROLE}: the cell, the workspace file and the audit log agree")

    # The matrix's accessible description promises Space grants or revokes the current cell.
    if "Space" not in (table.description or ""):
        raise Failure(f"the matrix's accessible description no longer tells about Space: “{table.description}”")
    press_space()
    wait_cell(table, row, column, False, "Space on the current cell")
    expect_granted(options, False)
    expect_audited(options, False, options.actor)
    log(f"Space revoked it again: the cell, the workspace file and the audit log agree")


def switch_page(app, navigation, index, state):
    title, (marker_name, marker_role), _ = PAGES[index]
    item = navigation.getChildAtIndex(index)
    if item is None or item.name != title:
        raise Failure(f"navigation item {index + 1} is “{item.name if item else None}”, not “{title}”")
    marker = poll(f"“{marker_name}” ({marker_role}) on the {title} page", lambda: find(app, marker_name, marker_role))
    if showing(marker):
        return marker
    # As a screen-reader user would: select the item with its accessible action.
    if state["select_works"] is not False:
        item.queryAction().doAction(0)
        try:
            poll(f"the {title} page after selecting its item", lambda: showing(marker), timeout=1.5)
            state["select_works"] = True
            return marker
        except Failure:
            if state["select_works"] is None:
                log(f"NOTE: selecting “{title}” in “{NAVIGATION_NAME}” through AT-SPI does not change the page "
                    "(console problem); clicking the item instead")
            state["select_works"] = False
    click(item)
    poll(f"the {title} page after clicking its item in “{NAVIGATION_NAME}”", lambda: showing(marker), timeout=5)
    return marker


def screenshots(app, options):
    os.makedirs(options.screenshots, exist_ok=True)
    frame = poll("the console's main window", lambda: find_frame(app))
    navigation = poll(f"a list named “{NAVIGATION_NAME}”", lambda: find(app, NAVIGATION_NAME, "list"))
    if navigation.childCount != len(PAGES):
        raise Failure(f"“{NAVIGATION_NAME}” has {navigation.childCount} items, expected {len(PAGES)}")
    screen = Screen()
    state = {"select_works": None}
    for index, (title, _, file_name) in enumerate(PAGES):
        switch_page(app, navigation, index, state)
        if title == "Audit trail":
            # The audit browser shows the two changes this run made.
            audit = find(app, "Audit entries", "table")
            poll("the audit browser to list the grant and the revoke",
                 lambda: audit.queryTable().nRows >= 3, timeout=5)
        time.sleep(0.4)  # let the page paint
        path = os.path.join(options.screenshots, file_name)
        width, height = screen.capture(extents(frame), path)
        log(f"page “{title}”: {path} ({width}×{height})")
    return state["select_works"]


def find_frame(app):
    for i in range(app.childCount):
        child = app.getChildAtIndex(i)
        if child is not None and child.getRoleName() == "frame" and child.name.endswith("Klaviyo RBAC Console"):
            return child
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pid", type=int, required=True, help="the console's process id")
    parser.add_argument("--cli", required=True, help="the klaviyo-rbac CLI")
    parser.add_argument("--workspace", required=True, help="the workspace file the console has open")
    parser.add_argument("--actor", required=True, help="the --actor the console was started with")
    parser.add_argument("--screenshots", required=True, help="where the page PNGs go")
    options = parser.parse_args()
    try:
        app = find_application(options.pid)
        log(f"found the console on the accessibility bus as “{app.name}”")
        poll("the console's main window", lambda: find_frame(app))
        toggle_permission(app, options)
        screenshots(app, options)
    except Failure as failure:
        print(f"FAIL: {failure}", file=sys.stderr, flush=True)
        return 1
    log("passed")
    return 0


START = time.monotonic()
if __name__ == "__main__":
    sys.exit(main())
