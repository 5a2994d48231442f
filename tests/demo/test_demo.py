#!/usr/bin/python3
"""Tests of ``make demo`` (tests/demo/run-demo.py): the --check mode CI
uses, and an interactive run in tmux (the demo needs a terminal) that
chats with the demo bot, quits, and leaves no server behind."""

import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import sziatest  # noqa: E402
from sziatest import Tmux  # noqa: E402

PY = "/usr/bin/python3"
RUN_DEMO = os.path.join(HERE, "run-demo.py")


def setup_module():
    if sziatest.szia_binary() is None:
        sziatest.skip_all("szia not built (SZIA_BUILDDIR)")


def children(pid):
    """PIDs of all descendants of pid (from /proc)."""
    kids = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        kids.setdefault(ppid, []).append(int(d))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for k in kids.get(p, []):
            out.append(k)
            todo.append(k)
    return out


def cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return [a.decode("utf-8", "replace")
                    for a in f.read().split(b"\0") if a]
    except OSError:
        return []


def test_demo_check_mode():
    r = subprocess.run([PY, RUN_DEMO, "--szia", sziatest.szia_binary(),
                        "--check"], stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stdout
    assert "demo check passed" in r.stdout, r.stdout


def test_demo_interactive_chat_and_cleanup():
    env = dict(os.environ, SZIA_THEMEDIR=sziatest.szia_themedir())
    env.pop("SZIA_TEST_KEEP", None)       # the demo must clean up
    t = Tmux([PY, RUN_DEMO, "--szia", sziatest.szia_binary()], env=env)
    try:
        t.wait_for(r"Connected as alice@localhost/", timeout=40)
        # The demo's server and bot are descendants of the pane.
        procs = children(t.pane_pid)
        servers = [p for p in procs if any(
            os.path.basename(a) == "prosody" or a.endswith("/prosody")
            for a in cmdline(p)[:2])]
        assert servers, [(p, cmdline(p)) for p in procs]
        config = [a for p in servers for a in cmdline(p)
                  if a.endswith(".cfg.lua")]
        assert config, [cmdline(p) for p in servers]
        demo_dir = os.path.dirname(config[0])
        assert os.path.isdir(demo_dir), demo_dir
        bots = [p for p in procs if any("demo-bob.py" in a
                                        for a in cmdline(p))]
        assert bots, [(p, cmdline(p)) for p in procs]

        t.type("/msg bob@localhost hello")
        t.wait_for(r"Bob: Hi Alice!", timeout=15)
        t.wait_for(r"Bob: You said: hello", timeout=15)
        t.type("/quit")
        # szia exits; run-demo then stops the bot and the server.
        status = t.wait_exit(timeout=30)
        assert status == 0, (status, t.capture())
        screen = t.capture()
        assert "demo server stopped" in screen, screen
        left = [p for p in servers + bots
                if sziatest._pid_alive(p)]
        deadline = time.monotonic() + 5
        while left and time.monotonic() < deadline:
            time.sleep(0.05)
            left = [p for p in left if sziatest._pid_alive(p)]
        assert not left, [(p, cmdline(p)) for p in left]
        assert not os.path.exists(demo_dir), demo_dir
    finally:
        t.stop()


sziatest.main(globals(), requires=("prosody", "prosodyctl", "openssl",
                                   "tmux"))
