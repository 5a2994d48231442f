"""Helpers for the terminal tests (tests/terminal/*.py): the parts of
szia's screen in a tmux capture, and polling them.

Layout (src/ui/layout.c): row 0 the title, rows 1..H-3 the current window
with the roster panel on the right behind a "\u2502" border, row H-2 the
status bar, row H-1 the input line.
"""

import re
import time
import unicodedata

import sziatest
from sziatest import Tmux

W, H = 100, 30
BORDER = "\u2502"


def rows(screen, height=H):
    r = screen.split("\n")
    r += [""] * (height - len(r))
    return r[:height]


def width_of(s):
    """Display width of s (wide East Asian characters count 2)."""
    n = 0
    for c in s:
        if unicodedata.combining(c):
            continue
        n += 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
    return n


def border_columns(screen, height=H):
    """Display column of the roster border on each window row."""
    cols = {}
    for y, row in enumerate(rows(screen, height)[1:height - 2], start=1):
        i = row.find(BORDER)
        cols[y] = width_of(row[:i]) if i >= 0 else None
    return cols


def panel(screen, height=H):
    """The roster panel's rows (what follows the border), in order."""
    out = []
    for row in rows(screen, height)[1:height - 2]:
        i = row.find(BORDER)
        if i >= 0:
            out.append(row[i + 1:].rstrip())
    return out


def status_bar(screen, height=H):
    return rows(screen, height)[height - 2]


def input_line(screen, height=H):
    return rows(screen, height)[height - 1]


def title(screen):
    return rows(screen)[0]


def settle(t, check, timeout=10):
    """Poll the screen until check(screen) passes (it asserts); return the
    screen.  A capture can catch szia halfway through a redraw, so every
    multi-part look at the screen goes through here."""
    deadline = time.monotonic() + timeout
    while True:
        s = t.capture()
        try:
            check(s)
            return s
        except AssertionError as exc:
            if time.monotonic() >= deadline:
                raise AssertionError("%s\nafter %gs, screen:\n%s"
                                     % (exc, timeout, t._boxed(s)))
        time.sleep(0.05)


def szia(home, account="alice", width=W, height=H, term="tmux-256color",
         **env):
    """szia -a ACCOUNT in tmux with HOME's environment (plus ENV)."""
    argv = [sziatest.szia_binary()] + (["-a", account] if account else [])
    return Tmux(argv, width=width, height=height,
                env=home.env(SZIA_THEMEDIR=sziatest.szia_themedir(), **env),
                term=term)



# -- setting up: one Prosody, alice in szia, bob as a peer ---------------------

def need_szia():
    """setup_module()'s first line: skip the file without a built szia."""
    if sziatest.szia_binary() is None:
        sziatest.skip_all("szia not built (SZIA_BUILDDIR)")


def alice_and_bob(users=None, resource="tui", auto_reply=None):
    """A started Prosody where alice and bob are friends (group Friends,
    names Alice and Bob), and bob online as a Peer: (server, bob).
    USERS: more accounts beside alice and bob."""
    accounts = {"alice": "alicepw", "bob": "bobpw"}
    accounts.update(users or {})
    server = sziatest.Prosody(users=accounts).start()
    server.make_friends("alice", "bob", group="Friends",
                        names=("Alice", "Bob"))
    bob = sziatest.Peer("bob@localhost", "bobpw", server.port,
                        resource=resource, auto_reply=auto_reply).start()
    return server, bob


def login(server, home=None, panel=r"\*Bob", **kw):
    """szia logged in as alice in tmux (KW as for szia()); waits until it
    is connected and the roster panel shows PANEL (None: no wait).
    Returns (home, tmux)."""
    home = home or server.account_home("alice")
    t = szia(home, **kw)
    t.wait_for(r"Connected as alice@localhost/")
    if panel is not None:
        t.wait_for(BORDER + panel)
    return home, t


def quit(t):
    """/quit: szia exits with 0."""
    t.type("/quit")
    status = t.wait_exit(10)
    assert status == 0, (status, t.capture())


def stop(*things):
    """teardown_module(): stop each peer or server that was started."""
    for x in things:
        if x is not None:
            x.stop()


def my_jid(t):
    """alice's full JID, from the status bar once online."""
    s = t.wait_for(r"\[alice@localhost/\S+ \(online\)\]")
    return re.search(r"\[(alice@localhost/\S+) \(online\)\]", s).group(1)
