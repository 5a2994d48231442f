#!/usr/bin/python3
"""Terminal tests of /theme list and /theme load: the real szia (not logged
in, no server needed) in a private tmux server, checked through screen
captures.  Colours are read from ``tmux capture-pane -e -p``: the SGR
escapes are replayed into a style per cell, so that "the colours changed"
means the cells of the same text are drawn differently.

The shipped themes come from $SZIA_SRCDIR/themes (SZIA_THEMEDIR); the
user's own from $XDG_CONFIG_HOME/szia/themes.
"""

import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402
from sziatest import SziaHome  # noqa: E402
from tuitest import BORDER, H, need_szia, quit, szia  # noqa: E402

WELCOME = "Welcome to szia"


def setup_module():
    need_szia()


def start(user_themes=None):
    """szia in tmux, not logged in; user_themes maps NAME to the text of
    $XDG_CONFIG_HOME/szia/themes/NAME.theme."""
    home = SziaHome()
    tdir = os.path.join(home.config_home, "szia", "themes")
    os.makedirs(tdir, mode=0o700, exist_ok=True)
    for name, text in (user_themes or {}).items():
        with open(os.path.join(tdir, name + ".theme"), "w") as f:
            f.write(text)
    t = szia(home, None)
    t.wait_for(WELCOME)
    return home, t


# --- styles from capture-pane -e ----------------------------------------------

SGR = re.compile(r"\x1b\[([0-9;:]*)m")
OTHER_ESC = re.compile(r"\x1b[^\[]|\x1b\[[0-9;:?]*[A-Za-ln-z]")


def _apply_sgr(style, params):
    """New (fg, bg, attrs) after one SGR sequence."""
    fg, bg, attrs = style
    codes = [int(p) if p.isdigit() else 0
             for p in re.split(r"[;:]", params)] if params else [0]
    i = 0
    while i < len(codes):
        c = codes[i]
        if c == 0:
            fg, bg, attrs = None, None, frozenset()
        elif c in (1, 2, 3, 4, 5, 7, 8, 9):
            attrs = attrs | {c}
        elif c == 22:
            attrs = attrs - {1, 2}
        elif c in (23, 24, 25, 27, 28, 29):
            attrs = attrs - {c - 20}
        elif 30 <= c <= 37 or 90 <= c <= 97:
            fg = c
        elif c == 39:
            fg = None
        elif 40 <= c <= 47 or 100 <= c <= 107:
            bg = c
        elif c == 49:
            bg = None
        elif c in (38, 48):
            if i + 1 < len(codes) and codes[i + 1] == 5:
                v, i = ("256", codes[i + 2]), i + 2
            else:
                v, i = ("rgb",) + tuple(codes[i + 2:i + 5]), i + 4
            if c == 38:
                fg = v
            else:
                bg = v
        i += 1
    return fg, bg, frozenset(attrs)


def styled_rows(esc_screen):
    """capture-pane -e text -> list of rows, each a list of (char, style).
    tmux writes only the changes from the previous cell, also across line
    ends, so the style is carried from row to row."""
    style = (None, None, frozenset())
    out = []
    for line in esc_screen.split("\n")[:H]:
        line = OTHER_ESC.sub("", line)
        row, pos = [], 0
        for m in SGR.finditer(line):
            row += [(ch, style) for ch in line[pos:m.start()]]
            style = _apply_sgr(style, m.group(1))
            pos = m.end()
        row += [(ch, style) for ch in line[pos:]]
        out.append(row)
    return out


def styles_of(esc_screen, needle):
    """Set of styles of the cells of the first occurrence of needle."""
    for row in styled_rows(esc_screen):
        text = "".join(ch for ch, _ in row)
        i = text.find(needle)
        if i >= 0:
            return {st for _, st in row[i:i + len(needle)]}
    raise AssertionError("%r not on screen:\n%s" % (needle, esc_screen))


def border_styles(esc_screen):
    return {st for row in styled_rows(esc_screen)
            for ch, st in row if ch == BORDER}


def look(t, settle=0.3):
    """An escaped capture taken once the screen stopped changing (szia
    redraws at most once per loop turn, but a capture can land halfway)."""
    prev = None
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        s = t.capture(escapes=True)
        if s == prev:
            return s
        prev = s
        time.sleep(settle)
    return prev


def colours(esc_screen):
    """What a theme change must change (or leave alone): the welcome line
    (info), the roster border, title and status bar."""
    return {
        "info": styles_of(esc_screen, WELCOME),
        "border": border_styles(esc_screen),
        "title": styles_of(esc_screen, "szia console"),
        "statusbar": styles_of(esc_screen, "[offline]"),
    }


# --- tests -------------------------------------------------------------------

MINE = """# a user's own theme
[colours]
info = green
"""

# Good lines first, then a bad colour on line 6: the theme must be refused
# whole, so the good lines above it must not show either.
BROKEN = """# broken on line 6
[colours]
info = red
border = yellow
title = black, red
info = bleu
"""


def test_theme_list_shows_shipped_and_user_themes():
    home, t = start({"mine": MINE})
    t.type("/theme list")
    s = t.wait_for(r"-!-   mono\b")
    names = []
    seen = False
    for row in s.split("\n"):
        if "Themes (current: default):" in row:
            seen = True
            continue
        m = re.search(r"-!-   (\S+)", row)
        if seen and m:
            names.append(m.group(1))
    assert names == ["default", "light", "mine", "mono"], (names, s)
    quit(t)


def test_theme_load_light_changes_colours():
    home, t = start()
    before = colours(look(t))
    t.type("/theme load light")
    t.wait_for(r"Theme light loaded\.")
    after = colours(look(t))
    assert after["info"] != before["info"], (before, after)
    assert after["border"] != before["border"], (before, after)
    # light.theme: info = blue, border = brightblack.
    assert after["info"] == {(34, None, frozenset())}, after
    assert after["border"] == {(90, None, frozenset())}, after
    quit(t)


def test_theme_load_malformed_user_theme_keeps_colours():
    home, t = start({"broken": BROKEN})
    before = colours(look(t))
    t.type("/theme load broken")
    s = t.wait_for(r"/theme load: .*")
    errors = [r for r in s.split("\n") if "/theme load:" in r]
    assert len(errors) == 1, errors
    assert re.search(r"/theme load: broken\.theme:6: unknown colour 'bleu'",
                     errors[0]), errors
    after = colours(look(t))
    assert after == before, (before, after)
    t.type("/theme list")
    t.wait_for(r"Themes \(current: default\):")
    quit(t)


sziatest.main(globals(), requires=("tmux",))
