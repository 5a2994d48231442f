#!/usr/bin/python3
"""run-demo: try szia against a throwaway local XMPP server.

    run-demo.py --szia PATH/TO/szia           # interactive (``make demo``)
    run-demo.py --szia PATH/TO/szia --check   # CI: test the plumbing only

Starts Prosody on 127.0.0.1 (domain "localhost", users alice/alicepw and
bob/bobpw, already mutual contacts in group "Demo"), an echo bot logged in
as bob, and a temporary szia home with account "alice"; then runs
``szia -a alice`` in the foreground.  Everything is stopped and removed when
szia exits.  With --check, szia is not run: instead a scripted alice logs
in and must get an echo from bob.  SZIA_TEST_KEEP=1 keeps the temp dirs.
"""

import argparse
import os
import signal
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import sziatest  # noqa: E402
from sziatest import Peer, Proc, Prosody, SziaHome  # noqa: E402

PY = "/usr/bin/python3"
DOMAIN = "localhost"
USERS = {"alice": "alicepw", "bob": "bobpw"}


def info(*args):
    print("run-demo:", *args, flush=True)


def start_world():
    """Prosody + friendship + demo-bob + szia home; returns them."""
    server = Prosody(domain=DOMAIN, users=dict(USERS)).start()
    server.make_friends("alice", "bob", group="Demo", names=("Alice", "Bob"))
    bob = Proc([PY, os.path.join(HERE, "demo-bob.py"),
                "--jid", "bob@%s/demo" % DOMAIN, "--password", USERS["bob"],
                "--port", str(server.port)])
    bob.expect(r"^demo-bob: online as ", timeout=20)
    home = SziaHome()
    home.write_account("alice", jid="alice@%s" % DOMAIN,
                       password=USERS["alice"], server="127.0.0.1",
                       port=server.port, tls="starttls",
                       tls_fingerprint=server.fingerprint)
    return server, bob, home


def check(server, bob):
    """Log in as alice with a scripted client and expect bob's echo."""
    with Peer("alice@%s" % DOMAIN, USERS["alice"], server.port,
              resource="check") as alice:
        roster = alice.roster()
        item = roster.get("bob@%s" % DOMAIN, {})
        assert item.get("subscription") == "both", roster
        assert item.get("name") == "Bob" and item.get("groups") == ["Demo"], \
            roster
        alice.wait_presence(lambda p: p["from"].startswith("bob@")
                            and "demo bot" in p["status"], timeout=10)
        alice.send_message("bob@%s" % DOMAIN, "hi")
        greeting = alice.wait_message("Hi Alice!", timeout=10)
        echo = alice.wait_message("You said: hi", timeout=10)
        info("bob says: %r / %r" % (greeting["body"], echo["body"]))
    bob.expect(r"message from alice@%s/check: 'hi'" % DOMAIN, timeout=5)
    bob.proc.send_signal(signal.SIGTERM)
    code = bob.wait(10)
    assert code == 0, "demo-bob exited with %s on SIGTERM:\n%s" % (
        code, "\n".join(bob.lines))


def run_szia(szia, home):
    """Run szia attached to this terminal; returns its exit status."""
    print("szia will start logged in as alice@%s; bob@%s is an echo bot in "
          "your roster." % (DOMAIN, DOMAIN))
    print("Type /msg bob@%s hi to talk to him, /quit to leave." % DOMAIN,
          flush=True)
    # Ctrl-C belongs to szia now; do not let it kill the demo around it.
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    child = subprocess.Popen([szia, "-a", "alice"], env=home.env(),
                             preexec_fn=lambda: signal.signal(
                                 signal.SIGINT, signal.SIG_DFL))
    try:
        return child.wait()
    finally:
        signal.signal(signal.SIGINT, old)
        if child.poll() is None:    # we were told to stop (SIGTERM)
            child.terminate()       # give szia a chance to restore the tty
            try:
                child.wait(5)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--szia", required=True, help="path to the szia binary")
    ap.add_argument("--check", action="store_true",
                    help="do not run szia; verify the demo setup and exit")
    args = ap.parse_args()

    szia = os.path.abspath(args.szia)
    if not (os.path.isfile(szia) and os.access(szia, os.X_OK)):
        info("not an executable: %s" % args.szia)
        return 1
    if not args.check and not (sys.stdin.isatty() and sys.stdout.isatty()):
        info("szia is interactive: run this from a terminal "
             "(stdin/stdout is not a tty).  Use --check for CI.")
        return 1
    for prog in ("prosody", "prosodyctl", "openssl"):
        if subprocess.call(["sh", "-c", "command -v %s >/dev/null" % prog]):
            info("%s is not installed (Debian: apt install prosody openssl)"
                 % prog)
            return 1

    try:
        server, bob, home = start_world()
        if args.check:
            check(server, bob)
            info("demo check passed")
            status = 0
        else:
            status = run_szia(szia, home)
            if status < 0:
                info("szia was killed by signal %d" % -status)
                status = 128 - status
            elif status != 0:
                info("szia exited with status %d" % status)
        bob.stop()
        server.stop()
        home.stop()
        if not args.check:
            info("demo server stopped, temporary files removed")
        return status
    except (AssertionError, RuntimeError, sziatest.PeerError) as exc:
        info("FAILED: %s" % exc)
        return 1
    finally:
        sziatest.cleanup_all()


if __name__ == "__main__":
    sys.exit(main())
