#!/usr/bin/python3
"""test_interactive - xmpp-setup's interactive mode, driven in tmux.

The real binary runs on a pseudo-terminal in a private tmux server; the
tests type answers, wait for the prompts on the screen ("KEY: " or
"KEY [DEFAULT]: ") and check the screen, the exit status and the output
folder.  Interactive mode: Enter takes the default, a bad answer gets one
line and the question again, Ctrl-C or Ctrl-D at any prompt and "n" at
the confirmation write nothing and exit 4.  No fixed sleeps; nothing
touches the network.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402

EXIT_CANCELLED = 4
CANCELLED = "Cancelled: nothing was written."
REQUIRED = {"domain": "example.org", "ipv4": "203.0.113.10",
            "admin": "admin@example.org", "email": "hostmaster@example.org"}
# The questions in the order they are asked with the defaults (TURN on:
# the NAT address right after it; Let's Encrypt: no certificate files).
ORDER = ["domain", "ipv4", "ipv6", "admin", "email", "os", "firewall",
         "muc", "upload", "upload_limit", "proxy65", "pubsub", "turn",
         "private_ipv4", "registration", "storage", "web", "certs",
         "txt_xmppconnect"]
CONFIRM = r"^Write these files into (.*)\? \[Y/n\]\s*$"


def binary():
    path = sziatest._built_program("xmpp-setup", "XMPP_SETUP")
    if path is None:
        sziatest.missing("xmpp-setup (run make; SZIA_BUILDDIR)")
    return path


def setup_module():
    sziatest.require(["tmux"])
    binary()


def tmpdir():
    d = tempfile.mkdtemp(prefix="xmpp-setup-test.")
    sziatest._register(lambda: subprocess.call(["rm", "-rf", d]))
    return d


def expect(cond, msg):
    if not cond:
        raise AssertionError(msg)


def prompt_rx(key):
    """An empty prompt for KEY: group 1 is its default (or None)."""
    return r"^%s(?: \[([^\]]*)\])?: *$" % re.escape(key)


def start(*args, shell_check=False, env=None):
    """xmpp-setup ARGS in tmux.  shell_check: a shell runs it (catching
    SIGINT itself), then prints "rc=N" and the terminal modes.  env: the
    environment (default: ours)."""
    argv = [binary()] + list(args)
    if shell_check:
        argv = ["sh", "-c", 'trap : INT; "$0" "$@"; echo "rc=$?"; '
                'stty -a | tr ";" "\\n" | grep -w -e icanon -e echo'] + argv
    return sziatest.Tmux(argv, width=100, height=40, env=env)


def ask(t, key, text, count=1):
    """Wait until KEY has been asked COUNT times and its last prompt is
    empty, then type TEXT (Enter alone if empty); return the default the
    prompt offered (None if it offered none or "none")."""
    any_rx = re.compile(r"^%s(?: \[([^\]]*)\])?: ?(.*)$" % re.escape(key),
                        re.M)

    def ready():
        found = any_rx.findall(t.capture())
        if len(found) >= count and found[-1][1].strip() == "":
            return found[-1]
        return None
    last = sziatest._wait_until(ready, 10)
    if last is None:
        raise AssertionError("prompt %d of %s not on screen:\n%s"
                             % (count, key, t.capture()))
    t.type(text)
    return None if last[0] in ("", "none") else last[0]


def answer_all(t, given):
    """Answer the questions of ORDER (GIVEN's answer, else Enter); return
    {key: default offered}."""
    defaults = {}
    for key in ORDER:
        defaults[key] = ask(t, key, given.get(key, ""))
    return defaults


def ini(path):
    values = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"^(\w+) =(?: (.*))?$", line.rstrip("\n"))
            if m:
                values[m.group(1)] = m.group(2) or ""
    return values


def test_defaults_write_the_files():
    d = tmpdir()
    out = os.path.join(d, "out")
    with start("--output", out) as t:
        offered = answer_all(t, REQUIRED)
        screen = t.wait_for(CONFIRM)
        expect(re.search(CONFIRM, screen, re.M).group(1) == out, screen)
        for name in ("dns.zone", "prosody.cfg.lua", "turnserver.conf",
                     "nftables.conf", "answers.ini"):
            expect(re.search(r"^  %s$" % re.escape(name), screen, re.M),
                   "%s not listed:\n%s" % (name, screen))
        expect(not os.path.exists(out), "written before the confirmation")
        t.type("")
        t.wait_for(r"^Next: follow ")
        expect(t.wait_exit() == 0, "status %s" % t.exit_status())
    # The same answers given as flags, with --yes.
    ref = os.path.join(d, "ref")
    args = [binary(), "--yes", "--output", ref]
    for key, value in REQUIRED.items():
        args += ["--" + key, value]
    if offered["ipv6"] is not None:     # a public address of this machine
        args += ["--ipv6", offered["ipv6"]]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL,
                   stdin=subprocess.DEVNULL)
    expect(sorted(os.listdir(out)) == sorted(os.listdir(ref)),
           "%s != %s" % (sorted(os.listdir(out)), sorted(os.listdir(ref))))
    got, want = ini(os.path.join(out, "answers.ini")), \
        ini(os.path.join(ref, "answers.ini"))
    expect(re.fullmatch(r"[0-9a-f]{64}", got.pop("turn_secret")), "secret")
    want.pop("turn_secret")
    expect(got == want, "answers.ini: %s != %s" % (got, want))
    expect(offered["os"] == "debian" and offered["firewall"] == "nftables"
           and offered["upload_limit"] == "10M"
           and offered["admin"] == "admin@example.org", offered)


def test_local_addresses_are_hints_and_a_single_public_one_the_default():
    """The IP questions show the local interfaces' addresses (here given
    through XMPP_SETUP_TEST_ADDRS instead of getifaddrs()) without
    loopback and link-local ones; the only public one is the default."""
    d = tmpdir()
    env = dict(os.environ, XMPP_SETUP_TEST_ADDRS=(
        "198.51.100.7, 192.168.1.5 127.0.0.1 169.254.3.3 192.168.1.5 "
        "2001:db8::7 fe80::1 ::1 fd00::9"))
    with start("--output", os.path.join(d, "out"), env=env) as t:
        ask(t, "domain", "example.org")
        t.wait_for("^" + re.escape(
            "the public IPv4 address of the server (local addresses: "
            "198.51.100.7, 192.168.1.5)") + "$")
        expect(ask(t, "ipv4", "") == "198.51.100.7", t.capture())
        t.wait_for(r"\(local addresses: 2001:db8::7, fd00::9\)$")
        expect(ask(t, "ipv6", "") == "2001:db8::7", t.capture())
        for key in ORDER[3:ORDER.index("private_ipv4")]:
            ask(t, key, REQUIRED.get(key, ""))
        # Behind NAT: only the private address is a hint, and no default.
        t.wait_for("^" + re.escape(
            "the server's own IPv4 address when it is behind NAT "
            "(optional) (local addresses: 192.168.1.5)") + "$")
        expect(ask(t, "private_ipv4", "") is None, t.capture())
        for key in ORDER[ORDER.index("private_ipv4") + 1:]:
            ask(t, key, "")
        t.wait_for(CONFIRM)
        t.type("y")
        expect(t.wait_exit() == 0, "status %s" % t.exit_status())
    values = ini(os.path.join(d, "out", "answers.ini"))
    expect(values["ipv4"] == "198.51.100.7" and values["ipv6"] ==
           "2001:db8::7" and values["private_ipv4"] == "", values)
    # Two public addresses: both are hints, neither is the default.
    env["XMPP_SETUP_TEST_ADDRS"] = "198.51.100.7,203.0.113.9"
    with start("--output", os.path.join(d, "two"), env=env) as t:
        ask(t, "domain", "example.org")
        t.wait_for(r"\(local addresses: 198\.51\.100\.7, "
                   r"203\.0\.113\.9\)$")
        expect(ask(t, "ipv4", "203.0.113.9") is None, t.capture())
        t.send_keys("C-d")
        t.wait_for("^" + re.escape(CANCELLED))
        expect(t.wait_exit() == EXIT_CANCELLED, "status %s" % t.exit_status())
    # None: no hint at all.
    env["XMPP_SETUP_TEST_ADDRS"] = ""
    with start("--output", os.path.join(d, "none"), env=env) as t:
        ask(t, "domain", "example.org")
        screen = t.wait_for(prompt_rx("ipv4"))
        expect(re.search(r"^the public IPv4 address of the server$", screen,
                         re.M), screen)
        expect(re.search(r"^ipv4: *$", screen, re.M), screen)
        t.send_keys("C-d")
        expect(t.wait_exit() == EXIT_CANCELLED, "status %s" % t.exit_status())
    expect(os.listdir(d) == ["out"], os.listdir(d))


def test_bad_answer_then_good_one():
    d = tmpdir()
    with start("--output", os.path.join(d, "out")) as t:
        ask(t, "domain", "not a domain")
        ask(t, "domain", "example.org", count=2)
        screen = t.wait_for(prompt_rx("ipv4"))
        lines = screen.splitlines()
        first = lines.index("domain: not a domain")
        expect(lines[first + 1].startswith("  Invalid answer: 'not a domain'"),
               screen)
        expect(lines[first + 2] == "domain: example.org", screen)
        expect(sum("Invalid answer" in ln for ln in lines) == 1, screen)
        # A public address is required for ipv4; e-mail is checked too.
        ask(t, "ipv4", "192.168.1.10")
        t.wait_for(r"^  Invalid answer: 192\.168\.1\.10 is a private address")
        ask(t, "ipv4", "203.0.113.10", count=2)
        t.send_keys("C-d")
        t.wait_for("^" + re.escape(CANCELLED))
        expect(t.wait_exit() == EXIT_CANCELLED, "status %s" % t.exit_status())
    expect(os.listdir(d) == [], "something was written")


def test_ctrl_d_at_third_question_writes_nothing():
    d = tmpdir()
    with start("--output", os.path.join(d, "out")) as t:
        ask(t, "domain", "example.org")
        ask(t, "ipv4", "203.0.113.10")
        t.wait_for(prompt_rx("ipv6"))
        t.send_keys("C-d")
        screen = t.wait_for("^" + re.escape(CANCELLED) + "$")
        expect(t.wait_exit() == EXIT_CANCELLED, "status %s" % t.exit_status())
    expect(os.listdir(d) == [], "something was written")
    expect(screen.count(CANCELLED) == 1, screen)


def test_ctrl_c_while_typing_restores_the_terminal():
    d = tmpdir()
    with start("--output", os.path.join(d, "out"), shell_check=True) as t:
        ask(t, "domain", "example.org")
        t.wait_for(prompt_rx("ipv4"))
        t.send_keys("203.0", literal=True)
        t.wait_for(r"^ipv4.*: 203\.0$")
        t.send_keys("C-c")
        screen = t.wait_for(r"^rc=\d+$")
        expect("rc=%d" % EXIT_CANCELLED in screen, screen)
        expect(CANCELLED in screen, screen)
        t.wait_for(r"(^| )icanon( |$)")
        screen = t.wait_for(r"(^| )echo( |$)")
        expect(not re.search(r"-icanon|-echo\b", screen), screen)
    expect(os.listdir(d) == [], "something was written")


def test_idn_domain_shows_punycode():
    d = tmpdir()
    with start("--output", os.path.join(d, "out")) as t:
        ask(t, "domain", "bücher.example")
        t.wait_for(r"^  -> xn--bcher-kva\.example$")
        ask(t, "ipv4", "203.0.113.10")
        ask(t, "ipv6", "")
        default = ask(t, "admin", "admin@bücher.example")
        expect(default == "admin@xn--bcher-kva.example", default)
        t.send_keys("C-d")
        t.wait_for("^" + re.escape(CANCELLED))
        expect(t.wait_exit() == EXIT_CANCELLED, "status %s" % t.exit_status())
    expect(os.listdir(d) == [], "something was written")


def test_no_at_confirmation_writes_nothing():
    d = tmpdir()
    with start("--output", os.path.join(d, "out")) as t:
        answer_all(t, REQUIRED)
        t.wait_for(CONFIRM)
        t.type("maybe")
        t.wait_for(r"^  Please answer y or n\.$")
        t.type("n")
        t.wait_for("^" + re.escape(CANCELLED))
        expect(t.wait_exit() == EXIT_CANCELLED, "status %s" % t.exit_status())
    expect(os.listdir(d) == [], "something was written")


def test_flags_skip_questions_and_dependencies():
    d = tmpdir()
    out = os.path.join(d, "out")
    args = ["--output", out, "--no-turn", "--certs", "files"]
    for key, value in REQUIRED.items():
        args += ["--" + key, value]
    with start(*args) as t:
        ask(t, "ipv6", "")
        ask(t, "os", "freebsd")
        expect(ask(t, "firewall", "nftables") == "ipfw", "firewall default")
        t.wait_for(r"^  Invalid answer: nftables is not available on freebsd")
        ask(t, "firewall", "", count=2)
        for key in ("muc", "upload", "upload_limit", "proxy65", "pubsub",
                    "registration", "storage", "web"):
            ask(t, key, "")
        ask(t, "cert", "relative.pem")
        t.wait_for(r"^  Invalid answer: .*not an absolute path")
        ask(t, "cert", "/etc/ssl/xmpp.pem", count=2)
        ask(t, "key", "/etc/ssl/xmpp.key")
        ask(t, "txt_xmppconnect", "")
        screen = t.wait_for(CONFIRM)
        for key in ("domain", "turn", "private_ipv4"):
            expect(not re.search(prompt_rx(key).replace("*$", ""), screen,
                                 re.M), "%s asked:\n%s" % (key, screen))
        t.type("y")
        expect(t.wait_exit() == 0, "status %s" % t.exit_status())
    values = ini(os.path.join(out, "answers.ini"))
    for key, want in (("os", "freebsd"), ("firewall", "ipfw"), ("turn", "no"),
                      ("certs", "files"), ("cert", "/etc/ssl/xmpp.pem"),
                      ("key", "/etc/ssl/xmpp.key"), ("private_ipv4", "")):
        expect(values[key] == want, "%s = %r" % (key, values[key]))
    expect("ipfw.rules" in os.listdir(out), os.listdir(out))


sziatest.main(globals(), requires=("tmux",), strict=True)
