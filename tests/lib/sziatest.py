#!/usr/bin/python3
"""sziatest - test harness for the szia XMPP client.

Only the standard library and slixmpp are used.  Must run under Debian's
/usr/bin/python3 (python3-slixmpp); other interpreters may lack slixmpp.

Building blocks:

* :class:`Prosody`  - a throwaway Prosody server on 127.0.0.1 (random ports).
* :class:`Peer`     - a slixmpp client in a background thread (the "other
                      side" of a conversation, echo bot, hostile peer ...).
* :class:`Proc`     - a child process with line-oriented stdin/stdout and
                      ``expect()``.
* :class:`Tmux`     - a program running in a private, detached tmux server,
                      with screen capture for TUI tests.
* :class:`DnsServer`, :class:`LdnsServer`
                    - a DNS server on 127.0.0.1: a small Python one, or
                      ldns-testns serving a zone file.
* :class:`FakeServer` - a scripted XMPP endpoint on 127.0.0.1 (stream
                      features or errors Prosody would never send).
* :class:`SziaHome` - a temporary $HOME/XDG tree with an szia accounts file.
* :class:`Headless` - szia-headless (tests/headless.c) as a Proc, with
                      helpers for its STATE/PROMPT lines, !dump and !roster.
* :func:`szia_binary`, :func:`szia_headless_binary`, :func:`szia_themedir`
                    - the programs under test ($SZIA_BUILDDIR) and the
                      themes ($SZIA_SRCDIR/themes).
* :func:`main`      - a tiny test runner: ``sziatest.main(globals())``;
                      :func:`need_headless` skips a file without
                      szia-headless, :func:`poll` waits for a condition.

Everything that starts a process or creates a temporary directory registers
itself for cleanup: at interpreter exit (atexit), and on SIGTERM, SIGINT
and SIGHUP, which are turned into SystemExit so that the atexit handlers
run.  Processes
are only ever stopped by their own PID.  Set SZIA_TEST_KEEP=1 to keep
temporary directories (logs, configs) for post-mortem inspection.

Network rule: everything binds and connects to 127.0.0.1 only.

Example test file::

    #!/usr/bin/python3
    import os, sys
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
    import sziatest

    def test_echo():
        with sziatest.Prosody() as server:
            bob = sziatest.Peer("bob@localhost", "bobpw", server.port,
                                auto_reply=lambda body: "echo " + body)
            with bob, sziatest.Peer("alice@localhost", "alicepw",
                                    server.port) as alice:
                alice.send_message("bob@localhost", "hi")
                alice.wait_message("echo hi")

    sziatest.main(globals())
"""

import asyncio
import atexit
import configparser
import contextlib
import glob
import hashlib
import http.server
import inspect
import os
import random
import re
import shlex
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import struct
import sys
import tempfile
import threading
import time
import traceback
import xml.etree.ElementTree as ET

LOOPBACK = "127.0.0.1"
POLL_INTERVAL = 0.05

__all__ = [
    "LOOPBACK", "free_port", "Prosody", "Peer", "PeerError", "Proc", "Tmux",
    "SziaHome", "SkipAll", "skip_all", "main", "run_test", "szia_binary",
    "MissingTool", "missing", "require", "skips_allowed", "DEBIAN_PACKAGES",
    "LdnsServer",
    "keep_requested", "cleanup_all", "szia_headless_binary", "szia_themedir",
    "Headless", "parse_line", "FakeServer",
]


class PeerError(Exception):
    """A Peer failed to connect or authenticate."""


class SkipAll(Exception):
    """Raised (via :func:`skip_all`) when the environment cannot run the tests."""


class MissingTool(Exception):
    """Raised (via :func:`missing`) when something tools/install-deps would
    have installed is not there: the test file fails."""


# --------------------------------------------------------------------------
# Cleanup registry
# --------------------------------------------------------------------------

_cleanup_lock = threading.Lock()
_cleanup_items = []          # objects with a .stop() method (or callables)
_signals_installed = False


def keep_requested():
    """True when SZIA_TEST_KEEP=1 asks to keep temporary directories."""
    return os.environ.get("SZIA_TEST_KEEP", "") not in ("", "0")


def _signal_to_exit(signum, frame):
    # Turn SIGTERM/SIGINT/SIGHUP into SystemExit so atexit handlers run.
    raise SystemExit(128 + signum)


def _install_signal_handlers():
    global _signals_installed
    if _signals_installed:
        return
    if threading.current_thread() is not threading.main_thread():
        return      # signal.signal() only works in the main thread
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        current = signal.getsignal(signum)
        # Respect handlers that somebody else installed deliberately.
        if current in (signal.SIG_DFL, signal.default_int_handler, None):
            signal.signal(signum, _signal_to_exit)
    _signals_installed = True


def _register(item):
    with _cleanup_lock:
        _cleanup_items.append(item)
    _install_signal_handlers()


def _unregister(item):
    with _cleanup_lock:
        try:
            _cleanup_items.remove(item)
        except ValueError:
            pass


def cleanup_all():
    """Stop everything still registered, newest first (also run at exit)."""
    while True:
        with _cleanup_lock:
            if not _cleanup_items:
                return
            item = _cleanup_items.pop()
        try:
            if callable(getattr(item, "stop", None)):
                item.stop()
            elif callable(item):
                item()
        except BaseException as exc:  # keep cleaning up no matter what
            print("sziatest: cleanup of %r failed: %r" % (item, exc),
                  file=sys.stderr)


atexit.register(cleanup_all)


def _pdeathsig_preexec():
    """preexec_fn: ask the kernel to SIGTERM the child if we die (Linux)."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except Exception:
        pass


def _terminate_pid(popen, timeout=5.0):
    """SIGTERM one child by PID, wait up to `timeout`, then SIGKILL it."""
    if popen is None or popen.poll() is not None:
        return
    try:
        popen.send_signal(signal.SIGTERM)
        popen.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        popen.kill()
        popen.wait(timeout=5)
    except ProcessLookupError:
        pass


def _pid_alive(pid):
    """True if `pid` exists and is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def log_lines(path):
    """The lines of szia's debug log at `path` ([] while there is none)."""
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read().split("\n")


def wait_log(path, regex, after=0, timeout=10):
    """Index of the first line of szia's debug log at or after `after`
    matching regex (re.search); AssertionError after `timeout` s."""
    rx = re.compile(regex)
    deadline = time.monotonic() + timeout
    while True:
        lines = log_lines(path)
        for i in range(after, len(lines)):
            if rx.search(lines[i]):
                return i
        if time.monotonic() > deadline:
            raise AssertionError("/%s/ not in szia's log:\n%s" % (
                regex, "\n".join(lines[-30:])))
        time.sleep(0.02)


def poll(get, pred, what, timeout=10):
    """Call get() until pred(value) is true and return that value; after
    `timeout` seconds, AssertionError naming `what` and the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = get()
        if pred(value):
            return value
        if time.monotonic() >= deadline:
            raise AssertionError("no %s after %gs: %r"
                                 % (what, timeout, value))
        time.sleep(POLL_INTERVAL)


def _wait_until(cond, timeout, interval=POLL_INTERVAL):
    """Poll cond() until true or timeout; returns the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = cond()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------

def free_port():
    """Return a TCP port on 127.0.0.1 that is unused right now.

    Picked at random below Linux's ephemeral range (32768-60999), not by
    bind(0): the kernel hands out ephemeral ports in a sequence, so two
    tests running side by side (make -j2) could both be given the port a
    restarting server just released, and one test's client would then
    log in to the other test's server."""
    rng = random.SystemRandom()
    for _ in range(200):
        port = rng.randrange(20000, 32000)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind((LOOPBACK, port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free TCP port on %s" % LOOPBACK)


def _tcp_accepts(port, timeout=0.5):
    try:
        with socket.create_connection((LOOPBACK, port), timeout=timeout):
            return True
    except OSError:
        return False


def _tail(path, n=40):
    try:
        with open(path, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError as exc:
        return "(cannot read %s: %s)" % (path, exc)
    return "\n".join(lines[-n:])


def _lua_str(s):
    """Quote a Python string as a Lua string literal."""
    out = ['"']
    for ch in str(s):
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 32:
            out.append("\\%03d" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _lua_list(items):
    return "{ " + ", ".join(_lua_str(i) for i in items) + " }"


def _openssl(*args):
    r = subprocess.run(["openssl"] + list(args), stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError("openssl %s failed:\n%s" % (args[0], r.stdout))


def cert_fingerprint(cert_path):
    """SHA-256 fingerprint of a PEM certificate, formatted exactly like
    ``openssl x509 -noout -fingerprint -sha256`` (after the '=')."""
    with open(cert_path) as f:
        der = ssl.PEM_cert_to_DER_cert(f.read())
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def _built_program(name, env_override):
    """Path of a program built by the tree, or None if not found.

    Looks at $<env_override>, then $SZIA_BUILDDIR/NAME (set by
    ``make check``), $abs_top_builddir/NAME, $top_builddir/NAME, the same
    directories' src/NAME, then <repo>/NAME and <repo>/src/NAME relative
    to this file."""
    cands = []
    if os.environ.get(env_override):
        cands.append(os.environ[env_override])
    for var in ("SZIA_BUILDDIR", "abs_top_builddir", "top_builddir"):
        if os.environ.get(var):
            cands.append(os.path.join(os.environ[var], name))
            cands.append(os.path.join(os.environ[var], "src", name))
    here = os.path.dirname(os.path.abspath(__file__))
    cands.append(os.path.join(here, "..", "..", name))
    cands.append(os.path.join(here, "..", "..", "src", name))
    for c in cands:
        if os.path.isfile(c) and os.access(c, os.X_OK):
            return os.path.abspath(c)
    return None


def szia_binary():
    """Path of the szia binary under test, or None if not found.

    Looks at $SZIA_BINARY, then $SZIA_BUILDDIR/szia, $abs_top_builddir,
    $top_builddir (and their src/), then the repository relative to this
    file."""
    return _built_program("szia", "SZIA_BINARY")


def szia_headless_binary():
    """Path of szia-headless (tests/headless.c), found like szia_binary()
    ($SZIA_HEADLESS overrides); None if not found."""
    return _built_program("szia-headless", "SZIA_HEADLESS")


def szia_themedir():
    """$SZIA_SRCDIR/themes (or the repository's themes/ relative to this
    file): what szia should get as SZIA_THEMEDIR in tests."""
    src = os.environ.get("SZIA_SRCDIR")
    if not src:
        src = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "..", "..")
    return os.path.abspath(os.path.join(src, "themes"))


# --------------------------------------------------------------------------
# DnsServer: a tiny authoritative DNS server for SRV records on 127.0.0.1
# --------------------------------------------------------------------------

class DnsServer:
    """A tiny authoritative DNS server on 127.0.0.1 (UDP) for tests.

    ``DnsServer({"_xmpps-client._tcp.localhost": [(priority, weight, port,
    "target")]})`` answers SRV queries from a dict; ``DnsServer.from_zone(
    text, origin)`` serves the A, AAAA, CNAME, SRV, CAA and TXT lines of a
    zone file such as xmpp-setup's dns.zone.  Unknown names get NXDOMAIN, a
    known name without the asked type an empty answer, a CNAME name its
    CNAME.  Point programs at it with ``.resolver`` ("127.0.0.1:PORT").
    ``.queries`` lists the names asked for."""

    TYPES = {"A": 1, "CNAME": 5, "TXT": 16, "AAAA": 28, "SRV": 33,
             "CAA": 257}

    def __init__(self, srv=None, records=None, ipv6=False):
        self.records = {}       # (name, type number) -> [rdata bytes]
        for name, rrs in (srv or {}).items():
            for prio, weight, port, target in rrs:
                self.add(name, "SRV", "%d %d %d %s" % (prio, weight, port,
                                                       target))
        for (name, rtype), datas in (records or {}).items():
            for data in datas:
                self.add(name, rtype, data)
        self.queries = []
        if ipv6:
            self.sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            self.sock.bind(("::1", 0))
            self.port = self.sock.getsockname()[1]
            self.resolver = "[::1]:%d" % self.port
        else:
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.sock.bind(("127.0.0.1", 0))
            self.port = self.sock.getsockname()[1]
            self.resolver = "127.0.0.1:%d" % self.port
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        _register(self)

    @classmethod
    def from_zone(cls, text, origin, drop=(), ipv6=False):
        """Serve the records of zone TEXT (names relative to ORIGIN, "@"
        for ORIGIN); lines whose "name type" is in DROP are left out.
        ipv6: listen on ::1 instead of 127.0.0.1."""
        records = {}
        for line in text.splitlines():
            if line.lstrip().startswith(";"):
                continue
            parts = line.split(None, 3)
            if len(parts) < 4 or parts[1] != "IN" or parts[2] not in \
                    cls.TYPES:
                continue
            name = origin if parts[0] == "@" else parts[0] + "." + origin
            if "%s %s" % (parts[0], parts[2]) in drop:
                continue
            records.setdefault((name, parts[2]), []).append(
                parts[3].strip())
        return cls(records=records, ipv6=ipv6)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    @staticmethod
    def _name(labels):
        out = b""
        for label in labels.rstrip(".").split("."):
            if label:
                out += bytes([len(label)]) + label.encode()
        return out + b"\0"

    def add(self, name, rtype, data):
        """Add one record: data in zone-file form."""
        t = self.TYPES[rtype]
        if rtype == "A":
            rd = socket.inet_pton(socket.AF_INET, data)
        elif rtype == "AAAA":
            rd = socket.inet_pton(socket.AF_INET6, data)
        elif rtype == "CNAME":
            rd = self._name(data)
        elif rtype == "SRV":
            prio, weight, port, target = data.split()
            rd = (int(prio).to_bytes(2, "big") + int(weight).to_bytes(2, "big")
                  + int(port).to_bytes(2, "big") + self._name(target))
        elif rtype == "CAA":
            flags, tag, value = data.split(None, 2)
            value = value.strip('"').encode()
            rd = bytes([int(flags), len(tag)]) + tag.encode() + value
        else:   # TXT
            value = data.strip('"').encode()
            rd = b"".join(bytes([len(value[i:i + 255])]) + value[i:i + 255]
                          for i in range(0, max(len(value), 1), 255))
        key = (name.lower().rstrip("."), t)
        self.records.setdefault(key, []).append(rd)

    def _serve(self):
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                data, peer = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                self.sock.sendto(self._answer(data), peer)
            except Exception:   # a malformed query: no answer
                pass

    def _answer(self, q):
        qid, flags = q[:2], int.from_bytes(q[2:4], "big")
        i, labels = 12, []
        while q[i]:
            labels.append(q[i + 1:i + 1 + q[i]].decode())
            i += 1 + q[i]
        question = q[12:i + 5]
        qtype = int.from_bytes(q[i + 1:i + 3], "big")
        name = ".".join(labels).lower()
        self.queries.append(name)
        rtype = qtype
        rdatas = self.records.get((name, qtype))
        if rdatas is None and (name, 5) in self.records:
            rtype, rdatas = 5, self.records[(name, 5)]
        known = any(k[0] == name for k in self.records)
        rcode = 0 if (rdatas or known) else 3
        rflags = 0x8400 | (flags & 0x0100) | rcode
        out = qid + rflags.to_bytes(2, "big") + b"\0\1"
        out += (len(rdatas or ())).to_bytes(2, "big") + b"\0\0\0\0"
        out += question
        for rd in rdatas or ():
            out += b"\xc0\x0c" + rtype.to_bytes(2, "big") + b"\0\1"
            out += (60).to_bytes(4, "big") + len(rd).to_bytes(2, "big") + rd
        return out

    def stop(self):
        _unregister(self)
        self._stop.set()
        try:
            self.sock.close()
        except OSError:
            pass
        self._thread.join(2)


class LdnsServer:
    """A real DNS server for tests: ldns-testns (Debian's ldnsutils)
    answering the records of a zone file such as xmpp-setup's dns.zone.

    ``LdnsServer.from_zone(text, origin, drop=(), ipv6=False)`` has the
    interface of :meth:`DnsServer.from_zone`: ``.resolver``
    ("127.0.0.1:PORT", or "[::1]:PORT" with IPV6), ``.queries`` (the names
    asked for, from its -v log) and ``stop()`` (by PID).

    ldns-testns answers from a list of canned replies (its "datafile"),
    not from a zone, and cannot copy the question into a reply that does
    not spell it out (its copy_query leaves the question count at 0).  So
    the zone is turned into one entry per name of the zone and record
    type, each with its question: the records; else the name's CNAME;
    else an empty answer (a name that has other records) or NXDOMAIN (a
    name whose records were all dropped).  Other questions get no usable
    answer.  It listens on the wildcard address (it has no option to bind
    one): run it in a private network namespace where that is possible
    (see tests/wizard/test_check.py)."""

    TYPES = ("A", "AAAA", "CNAME", "SRV", "CAA", "TXT")

    def __init__(self, datafile_text, ipv6=False, tmpdir=None):
        self.dir = tempfile.mkdtemp(prefix="szia-ldns.", dir=tmpdir)
        self.datafile = os.path.join(self.dir, "answers.txt")
        self.log = os.path.join(self.dir, "ldns-testns.log")
        with open(self.datafile, "w") as f:
            f.write(datafile_text)
        self.proc = None
        _register(self)
        if ipv6:
            # -6 needs a port: try a few free ones.
            for _ in range(5):
                port = free_port()
                if self._start(["-6", "-p", str(port)], port):
                    break
        else:
            self._start(["-r"], None)
        if self.port is None:
            raise RuntimeError("ldns-testns did not start:\n" +
                               _tail(self.log))
        host = "[::1]" if ipv6 else "127.0.0.1"
        self.resolver = "%s:%d" % (host, self.port)

    def _start(self, args, port):
        if self.proc is not None:
            _terminate_pid(self.proc)
        with open(self.log, "w") as out:
            self.proc = subprocess.Popen(
                ["ldns-testns", "-v"] + args + [self.datafile],
                stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True,
                preexec_fn=_pdeathsig_preexec)

        def listening():
            return (re.search(r"^Listening on port (\d+)$", self._log(),
                              re.M)
                    or self.proc.poll() is not None)
        _wait_until(listening, 10)
        m = re.search(r"^Listening on port (\d+)$", self._log(), re.M)
        self.port = int(m.group(1)) if m and self.proc.poll() is None \
            else None
        return self.port is not None

    def _log(self):
        try:
            with open(self.log, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    @property
    def queries(self):
        """The names asked for, lower case, without the final dot."""
        return [m.lower().rstrip(".") for m in re.findall(
            r"^query \d+: id \d+: (?:UDP|TCP) \d+ bytes: (\S+)\s",
            self._log(), re.M)]

    @classmethod
    def datafile_from_zone(cls, text, origin, drop=()):
        """ldns-testns entries for the zone TEXT (see the class)."""
        names, records = [], {}
        for line in text.splitlines():
            if line.lstrip().startswith(";"):
                continue
            parts = line.split(None, 3)
            if len(parts) < 4 or parts[1] != "IN" or \
                    parts[2] not in cls.TYPES:
                continue
            name = origin if parts[0] == "@" else parts[0] + "." + origin
            name = name.lower().rstrip(".") + "."
            if name not in names:
                names.append(name)
            if "%s %s" % (parts[0], parts[2]) in drop:
                continue
            records.setdefault((name, parts[2]), []).append(
                parts[3].strip())
        known = {n for n, _ in records}
        out = ["; ldns-testns answers made by sziatest.LdnsServer", ""]
        for name in names:
            for rtype in cls.TYPES:
                answer = [(rtype, d) for d in records.get((name, rtype), [])]
                if not answer and rtype != "CNAME":
                    answer = [("CNAME", d)
                              for d in records.get((name, "CNAME"), [])]
                rcode = "NOERROR" if name in known else "NXDOMAIN"
                out += ["ENTRY_BEGIN", "MATCH opcode qtype qname",
                        "ADJUST copy_id", "REPLY QR AA " + rcode,
                        "SECTION QUESTION", "%s IN %s" % (name, rtype),
                        "SECTION ANSWER"]
                out += ["%s 60 IN %s" % (name, cls._rdata(t, d))
                        for t, d in answer]
                out += ["ENTRY_END", ""]
        return "\n".join(out)

    @staticmethod
    def _rdata(rtype, data):
        """TYPE DATA for the datafile: ldns 1.8 cannot read CAA records,
        which go in the generic form of RFC 3597 instead."""
        if rtype != "CAA":
            return "%s %s" % (rtype, data)
        flags, tag, value = data.split(None, 2)
        rd = bytes([int(flags), len(tag)]) + tag.encode() + \
            value.strip('"').encode()
        return "TYPE257 \\# %d %s" % (len(rd), rd.hex())

    @classmethod
    def from_zone(cls, text, origin, drop=(), ipv6=False):
        return cls(cls.datafile_from_zone(text, origin, drop), ipv6=ipv6)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def stop(self):
        _unregister(self)
        if self.proc is not None:
            _terminate_pid(self.proc)
            self.proc = None
        if not keep_requested():
            shutil.rmtree(self.dir, ignore_errors=True)


def strace_prefix(out_path):
    """The argv prefix that traces a program's outgoing connections and
    datagrams into out_path (see :func:`traced_addresses`), or None when
    strace is missing or may not trace here."""
    if shutil.which("strace") is None:
        return None
    argv = ["strace", "-f", "-qq", "-e",
            "trace=connect,sendto,sendmsg,sendmmsg", "-o", out_path]
    r = subprocess.run(argv[:-2] + ["-o", os.devnull, "true"],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=30)
    return argv if r.returncode == 0 else None


def traced_addresses(out_path):
    """The IPv4/IPv6 addresses in the socket calls strace logged."""
    with open(out_path, errors="replace") as f:
        text = f.read()
    return (re.findall(r'inet_addr\("([0-9.]+)"\)', text)
            + re.findall(r'inet_pton\(AF_INET6, "([0-9a-fA-F:.]+)"', text))


# --------------------------------------------------------------------------
# FakeServer: a scripted XMPP "server" for what Prosody will not do
# --------------------------------------------------------------------------

class FakeServer:
    """A scripted c2s endpoint on 127.0.0.1: for servers (or men in the
    middle) that behave as Prosody never would.

    ``FakeServer(reply)``: each connection is answered, once the client's
    stream header has arrived, with ``stream_header() + reply`` (bytes or
    str); then whatever the client sends is recorded until it closes the
    connection, or at once when ``close=True``.  Attributes: ``port``,
    ``connections`` (how many were accepted) and ``received`` (the bytes
    each connection sent, one entry per connection).  ``stop()`` closes
    everything; also a context manager."""

    @staticmethod
    def stream_header(domain="localhost", stream_id="fake1"):
        return ("<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
                "xmlns:stream='http://etherx.jabber.org/streams' "
                "id='%s' from='%s' version='1.0' xml:lang='en'>"
                % (stream_id, domain))

    def __init__(self, reply, close=False):
        self.reply = reply.encode() if isinstance(reply, str) else reply
        self.close = close
        self.connections = 0
        self.received = []
        self._lock = threading.Lock()
        self._socks = []
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((LOOPBACK, 0))
        self._listener.listen(8)
        self.port = self._listener.getsockname()[1]
        _register(self)
        threading.Thread(target=self._accept, daemon=True,
                         name="fake-server-%d" % self.port).start()

    def __repr__(self):
        return "<FakeServer port=%d>" % self.port

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def _accept(self):
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self.received.append(b"")
                index = len(self.received) - 1
                self._socks.append(conn)
            threading.Thread(target=self._serve, args=(conn, index),
                             daemon=True).start()

    def _serve(self, conn, index):
        answered = False
        conn.settimeout(30)
        try:
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                with self._lock:
                    self.received[index] += data
                    got = self.received[index]
                start = got.find(b"<stream:stream")
                if not answered and start >= 0 and b">" in got[start:]:
                    answered = True
                    conn.sendall(self.stream_header().encode() + self.reply)
                    if self.close:
                        conn.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        finally:
            conn.close()

    def sent_by_client(self):
        """Everything the clients sent, all connections, as text."""
        with self._lock:
            return b"".join(self.received).decode("utf-8", "replace")

    def stop(self):
        _unregister(self)
        try:
            self._listener.close()
        except OSError:
            pass
        with self._lock:
            socks, self._socks = self._socks, []
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)    # wakes its thread
                s.close()
            except OSError:
                pass


# --------------------------------------------------------------------------
# Prosody
# --------------------------------------------------------------------------

class Prosody:
    """A throwaway Prosody server listening on 127.0.0.1 only.

    ``Prosody(domain="localhost", users={"alice": "alicepw", "bob": "bobpw"},
    modules_extra=(), keep=False, modules_exclude=())``

    ``modules_exclude`` drops modules from the default set (the benchmark
    runs without ``mam`` and ``smacks``).  ``limits`` is never loaded: it
    would cap each client at about 10 kB/s.

    ``start()`` creates a temporary directory with a self-signed certificate,
    a configuration file, data and logs, starts ``prosody -F`` as a child
    process and registers the users.  Attributes after start:

    * ``port``        c2s port (STARTTLS), ``tls_port`` direct TLS port
    * ``dir``         the temporary directory (``log_path``, ``config_path``)
    * ``cert_path``   the certificate; ``fingerprint`` its SHA-256 fingerprint
                      in ``openssl x509 -fingerprint -sha256`` form
    * ``ca_path``     with ``ca=True``: the certificate is not self-signed
                      but issued by a throwaway CA, this file (for
                      SSL_CERT_FILE); otherwise None
    * ``pid``         the server's PID

    Also a context manager (``with Prosody() as p: ...``).  The server is
    stopped and its directory removed at exit or on SIGTERM/SIGINT unless
    ``keep=True`` or SZIA_TEST_KEEP=1.
    """

    MODULES = ("roster", "saslauth", "tls", "disco", "ping", "presence",
               "message", "iq", "version", "time", "carbons", "pep",
               "private", "blocklist", "vcard4", "vcard_legacy", "mam",
               "smacks", "csi_simple", "register", "bookmarks")
    START_TIMEOUT = 20.0

    def __init__(self, domain="localhost", users=None, modules_extra=(),
                 keep=False, config_extra="", modules_exclude=(), ca=False):
        self.domain = domain
        self.ca = ca
        self.ca_path = None
        self.users = dict({"alice": "alicepw", "bob": "bobpw"}
                          if users is None else users)
        self.modules_extra = tuple(modules_extra)
        self.modules_exclude = tuple(modules_exclude)
        self.config_extra = config_extra
        self.keep = keep or keep_requested()
        self.dir = None
        self.port = None
        self.tls_port = None
        self.cert_path = None
        self.key_path = None
        self.fingerprint = None
        self.config_path = None
        self.log_path = None
        self.proc = None
        self._registered = False
        self._log_offset = 0

    # -- context manager --------------------------------------------------
    def __enter__(self):
        if self.proc is None:
            self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def __repr__(self):
        return "<Prosody %s pid=%s port=%s dir=%s>" % (
            self.domain, self.pid, self.port, self.dir)

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def jid(self, user):
        """``user@domain``"""
        return "%s@%s" % (user, self.domain)

    def account_home(self, user, home=None, **account):
        """`home` (a new :class:`SziaHome` if None) with account `user`:
        ``jid(user)``, its password here, this server's port and pinned
        certificate; `account` (keywords of ``SziaHome.write_account``)
        adds to or overrides these.  Returns the home."""
        if home is None:
            home = SziaHome()
        kw = {"password": self.users.get(user), "port": self.port,
              "tls_fingerprint": self.fingerprint}
        kw.update(account)
        home.write_account(user, self.jid(user), **kw)
        return home

    def login(self, user, home=None, log=None, **account):
        """szia-headless logged in here as `user` and online: (home, szia,
        full JID).  `home` is used as it is; without it, a new one from
        ``account_home(user, **account)``.  `log`: szia's debug log."""
        if home is None:
            home = self.account_home(user, **account)
        else:
            assert not account, "account settings for an existing home"
        szia = Headless(home, account=user, log=log)
        return home, szia, szia.wait_online()

    # -- setup --------------------------------------------------------------
    def _prepare(self):
        self.dir = tempfile.mkdtemp(prefix="szia-prosody.")
        os.chmod(self.dir, 0o755)
        if not self._registered:
            _register(self)
            self._registered = True
        for sub in ("certs", "data"):
            os.makedirs(os.path.join(self.dir, sub), mode=0o755)
        self.cert_path = os.path.join(self.dir, "certs", self.domain + ".crt")
        self.key_path = os.path.join(self.dir, "certs", self.domain + ".key")
        if self.ca:
            self._make_ca_cert()
        else:
            _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes",
                     "-days", "7", "-subj", "/CN=" + self.domain,
                     "-addext", "subjectAltName=DNS:" + self.domain,
                     "-keyout", self.key_path, "-out", self.cert_path)
        os.chmod(self.cert_path, 0o644)
        os.chmod(self.key_path, 0o644)
        self.fingerprint = cert_fingerprint(self.cert_path)
        self.config_path = os.path.join(self.dir, "prosody.cfg.lua")
        self.log_path = os.path.join(self.dir, "prosody.log")

    def _make_ca_cert(self):
        """A CA (ca.crt, outside certs/) and the server's certificate
        issued by it for the domain."""
        ca_key = os.path.join(self.dir, "ca.key")
        self.ca_path = os.path.join(self.dir, "ca.crt")
        csr = os.path.join(self.dir, "server.csr")
        ext = os.path.join(self.dir, "server.ext")
        _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days",
                 "7", "-subj", "/CN=szia test CA", "-addext",
                 "basicConstraints=critical,CA:TRUE", "-addext",
                 "keyUsage=critical,keyCertSign,cRLSign",
                 "-keyout", ca_key, "-out", self.ca_path)
        _openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj",
                 "/CN=" + self.domain, "-keyout", self.key_path, "-out", csr)
        with open(ext, "w") as f:
            f.write("basicConstraints=CA:FALSE\n"
                    "subjectAltName=DNS:%s\n"
                    "extendedKeyUsage=serverAuth\n" % self.domain)
        _openssl("x509", "-req", "-in", csr, "-CA", self.ca_path, "-CAkey",
                 ca_key, "-CAcreateserial", "-days", "7", "-extfile", ext,
                 "-out", self.cert_path)
        os.chmod(self.ca_path, 0o644)

    def _write_config(self):
        modules = [m for m in list(self.MODULES) + [
            m for m in self.modules_extra if m not in self.MODULES]
            if m not in self.modules_exclude]
        d = self.dir
        lines = [
            "-- generated by sziatest.Prosody; throwaway test server",
            "admins = { }",
            "plugin_paths = { \"/usr/lib/prosody/modules\" }",
            "pidfile = %s" % _lua_str(os.path.join(d, "prosody.pid")),
            "data_path = %s" % _lua_str(os.path.join(d, "data")),
            "certificates = %s" % _lua_str(os.path.join(d, "certs")),
            "interfaces = { \"%s\" }" % LOOPBACK,
            "local_interfaces = { \"%s\" }" % LOOPBACK,
            "c2s_ports = { %d }" % self.port,
            "c2s_direct_tls_ports = { %d }" % self.tls_port,
            "modules_enabled = %s" % _lua_list(modules),
            "modules_disabled = { \"s2s\", \"s2s_auth_certs\" }",
            "authentication = \"internal_hashed\"",
            "storage = \"internal\"",
            "c2s_require_encryption = true",
            "allow_registration = false",
            "default_archive_policy = true",
            "log = { debug = %s }" % _lua_str(self.log_path),
        ]
        if os.geteuid() == 0:
            lines.append("run_as_root = true")
        if self.config_extra:
            lines.append(self.config_extra)
        lines += [
            "",
            "VirtualHost %s" % _lua_str(self.domain),
            "    ssl = { certificate = %s, key = %s }" % (
                _lua_str(self.cert_path), _lua_str(self.key_path)),
            "",
        ]
        # [muc] group chat
        # Group chat service (XEP-0045) with its archive: conference.DOMAIN.
        lines += [
            "Component %s \"muc\"" % _lua_str("conference." + self.domain),
            "    modules_enabled = { \"muc_mam\" }",
            "    restrict_room_creation = false",
            "",
        ]

        # [files] upload and accounts
        # XEP-0363 upload service, opt-in: set ``upload_limit`` (bytes) on
        # the Prosody object before start(); ``upload_options``: more
        # lines for the component (e.g. http_file_share_base_url).  upload.DOMAIN over HTTPS on
        # a free 127.0.0.1 port (``https_port``), with the server's
        # certificate; slot URLs name https://DOMAIN:PORT/ (the
        # certificate's name, which resolves to loopback).
        if getattr(self, "upload_limit", None):
            # Fresh ports on each attempt, like c2s (a retry after "Failed
            # to open server port" must not reuse a taken one).
            taken = (self.port, self.tls_port)
            self.http_port = free_port()
            while self.http_port in taken:
                self.http_port = free_port()
            self.https_port = free_port()
            while self.https_port in taken + (self.http_port,):
                self.https_port = free_port()
            glob = [
                "http_ports = { %d }" % self.http_port,
                "http_interfaces = { \"%s\" }" % LOOPBACK,
                "https_ports = { %d }" % self.https_port,
                "https_interfaces = { \"%s\" }" % LOOPBACK,
                "https_ssl = { certificate = %s, key = %s }" % (
                    _lua_str(self.cert_path), _lua_str(self.key_path)),
            ]
            at = lines.index("VirtualHost %s" % _lua_str(self.domain))
            lines[at:at] = glob
            lines += [
                "Component %s \"http_file_share\"" % _lua_str(
                    "upload." + self.domain),
                "    http_file_share_size_limit = %d" % self.upload_limit,
                "    http_host = %s" % _lua_str(self.domain),
                "    http_external_url = %s" % _lua_str(
                    "https://%s:%d/" % (self.domain, self.https_port)),
            ] + ["    " + l for l in getattr(self, "upload_options", ())] + [
                "",
            ]

        with open(self.config_path, "w") as f:
            f.write("\n".join(lines))
        os.chmod(self.config_path, 0o644)

    def _log_since_spawn(self):
        """Log text written by the current server process."""
        try:
            with open(self.log_path, "rb") as f:
                f.seek(self._log_offset)
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def _log_problems(self):
        """Lines of the current run's log at level error/critical."""
        return [l + "\n" for l in self._log_since_spawn().splitlines()
                if re.search(r"\t(error|critical)\t", l)]

    def _spawn(self):
        try:
            self._log_offset = os.path.getsize(self.log_path)
        except OSError:
            self._log_offset = 0
        out = open(os.path.join(self.dir, "stdout.log"), "ab")
        try:
            self.proc = subprocess.Popen(
                ["prosody", "--config", self.config_path, "-F"],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                cwd=self.dir, start_new_session=True,
                preexec_fn=_pdeathsig_preexec)
        finally:
            out.close()

    def _wait_ready(self):
        deadline = time.monotonic() + self.START_TIMEOUT

        def log_has(text):
            return text in self._log_since_spawn()

        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            if (log_has("Activated service 'c2s'")
                    and _tcp_accepts(self.port) and _tcp_accepts(self.tls_port)):
                problems = self._log_problems()
                if problems:
                    raise RuntimeError(
                        "Prosody logged errors while starting:\n"
                        + "".join(problems) + "\n--- log tail ---\n"
                        + _tail(self.log_path))
                return
            time.sleep(0.1)
        state = ("exited with code %s" % self.proc.returncode
                 if self.proc.poll() is not None else "not ready after %gs"
                 % self.START_TIMEOUT)
        raise RuntimeError(
            "Prosody %s (dir %s)\n--- prosody.log tail ---\n%s\n"
            "--- stdout.log tail ---\n%s" % (
                state, self.dir, _tail(self.log_path),
                _tail(os.path.join(self.dir, "stdout.log"))))

    def start(self):
        """Create the directory, certificate and config; start the server,
        wait until it accepts connections and register the users."""
        if self.proc is not None and self.proc.poll() is None:
            raise RuntimeError("Prosody already running")
        if self.dir is None:
            self._prepare()
        last_error = None
        for _attempt in range(3):          # retry in case a port got taken
            self.port = free_port()
            self.tls_port = free_port()
            while self.tls_port == self.port:
                self.tls_port = free_port()
            self._write_config()
            self._spawn()
            try:
                self._wait_ready()
                break
            except RuntimeError as exc:
                last_error = exc
                _terminate_pid(self.proc)
                if "Failed to open server port" not in str(exc):
                    raise
        else:
            raise last_error
        for user, pw in self.users.items():
            self.adduser(user, pw)
        return self

    def restart(self):
        """Stop and start again with the same directory, data and ports."""
        self._stop_process()
        self._spawn()
        self._wait_ready()
        return self

    def prosodyctl(self, *args, timeout=30):
        """Run ``prosodyctl --config CFG ARGS``; return its output
        (raises RuntimeError on a non-zero exit)."""
        r = subprocess.run(["prosodyctl", "--config", self.config_path]
                           + [str(a) for a in args],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True,
                           timeout=timeout, cwd=self.dir)
        if r.returncode != 0:
            raise RuntimeError("prosodyctl %s failed (%d):\n%s" % (
                " ".join(map(str, args)), r.returncode, r.stdout))
        return r.stdout

    def adduser(self, user, pw):
        """Create (or reset the password of) user@domain; works while running."""
        self.prosodyctl("register", user, self.domain, pw)
        self.users[user] = pw

    def make_friends(self, user_a, user_b, group=None, names=None, timeout=15):
        """Make user_a and user_b mutual contacts (subscription "both").

        ``names=(name_of_a, name_of_b)``: the roster name each one gets in the
        other's roster; ``group``: roster group for both items.  Uses two
        temporary slixmpp sessions (the server must be running)."""
        ja, jb = self.jid(user_a), self.jid(user_b)
        name_a, name_b = names if names else (None, None)
        groups = [group] if group else []
        a = Peer(ja, self.users[user_a], self.port, resource="make-friends")
        b = Peer(jb, self.users[user_b], self.port, resource="make-friends")
        try:
            a.start(timeout)
            b.start(timeout)
            a.roster_set(jb, name=name_b, groups=groups)
            b.roster_set(ja, name=name_a, groups=groups)
            ra, rb = a.roster(), b.roster()
            if ra.get(jb, {}).get("subscription") not in ("to", "both"):
                a.subscribe(jb)
                b.wait_subscription_request(ja, timeout)
            if rb.get(ja, {}).get("subscription") not in ("from", "both"):
                b.authorize(ja)
            if rb.get(ja, {}).get("subscription") not in ("to", "both"):
                b.subscribe(ja)
                a.wait_subscription_request(jb, timeout)
            if ra.get(jb, {}).get("subscription") not in ("from", "both"):
                a.authorize(jb)

            def done():
                return (a.roster().get(jb, {}).get("subscription") == "both"
                        and b.roster().get(ja, {}).get("subscription") == "both")
            if not _wait_until(done, timeout, interval=0.1):
                raise AssertionError(
                    "make_friends(%s, %s): rosters not 'both' after %gs:\n"
                    "%s: %r\n%s: %r" % (user_a, user_b, timeout,
                                        ja, a.roster(), jb, b.roster()))
        finally:
            a.stop()
            b.stop()

    # -- teardown -----------------------------------------------------------
    def _stop_process(self):
        _terminate_pid(self.proc, timeout=5)

    def stop(self):
        """Stop the server (its own PID only) and remove the directory
        unless keep was requested.  Idempotent."""
        self._stop_process()
        if self.dir and os.path.isdir(self.dir):
            if self.keep:
                print("sziatest: keeping Prosody dir %s" % self.dir,
                      file=sys.stderr)
            else:
                shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None       # a later start() begins afresh
        _unregister(self)
        self._registered = False

    def log_text(self):
        """The whole Prosody log (for assertions / debugging)."""
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""


# --------------------------------------------------------------------------
# Peer: a slixmpp client in a background thread
# --------------------------------------------------------------------------

def _matcher(pred, field):
    """Turn a predicate-or-substring into a callable on a dict."""
    if callable(pred):
        return pred
    if pred is None:
        return lambda d: True
    text = str(pred)
    return lambda d: text in (d.get(field) or "")


class Peer:
    """An XMPP client (slixmpp) running in its own thread and asyncio loop.

    ``Peer(jid, password, port, resource="peer", auto_reply=None,
    use_ssl=False, auto_authorize=False)``

    * ``start(timeout=15)`` connects to 127.0.0.1:port (STARTTLS, or direct
      TLS with ``use_ssl=True``; certificates are not verified), sends
      initial presence, fetches the roster and returns once the session is
      established.  Raises :class:`PeerError` on authentication failure,
      connection failure or timeout.
    * ``messages``: received message stanzas as dicts
      ``{from, to, type, body, id, raw}`` (all messages, with or without body).
    * ``received_presences``: dicts ``{from, to, type, show, status, raw}``.
    * ``subscription_requests``: bare JIDs that sent us ``subscribe``.
    * ``auto_reply=callable(body) -> str | None``: answer each incoming
      chat/normal message with a body (echo bot).
    * ``auto_authorize=True``: accept subscription requests and subscribe
      back automatically (default: do nothing, tests decide).

    All methods are thread-safe: work is handed to the peer's loop with
    ``asyncio.run_coroutine_threadsafe``.
    """

    def __init__(self, jid, password, port, resource="peer", auto_reply=None,
                 use_ssl=False, auto_authorize=False):
        if "/" not in jid and resource:
            jid = "%s/%s" % (jid, resource)
        self.jid = jid
        self.bare = jid.split("/", 1)[0]
        self.password = password
        self.port = int(port)
        self.use_ssl = use_ssl
        self.auto_reply = auto_reply
        self.auto_authorize = auto_authorize
        self.messages = []
        self.received_presences = []
        self.subscription_requests = []
        self.client = None
        self.error = None
        self.disconnected = threading.Event()   # set when the stream ends
        self._cond = threading.Condition()
        self._session = threading.Event()
        self._loop = None
        self._thread = None
        self._stopping = False

    def __repr__(self):
        return "<Peer %s port=%s>" % (self.jid, self.port)

    def __enter__(self):
        if self._thread is None:
            self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    # -- lifecycle ----------------------------------------------------------
    def start(self, timeout=15):
        """Connect and log in; returns self once session_start fired."""
        if self._thread is not None:
            raise RuntimeError("Peer already started")
        _register(self)
        loop_ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(loop_ready,),
                                        name="peer-" + self.jid, daemon=True)
        self._thread.start()
        loop_ready.wait(10)
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._session.is_set() and self.error is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
        if not self._session.is_set():
            err = self.error or "no session after %gs" % timeout
            self.stop()
            raise PeerError("%s: login to 127.0.0.1:%d failed: %s"
                            % (self.jid, self.port, err))
        return self

    def _run(self, loop_ready):
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        try:
            self.client = self._make_client()
            self.client.connect((LOOPBACK, self.port), use_ssl=self.use_ssl)
            loop_ready.set()
            loop.run_forever()
        except BaseException as exc:
            self._fail("peer thread crashed: %r" % (exc,))
        finally:
            loop_ready.set()
            try:
                pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
                for t in pending:
                    t.cancel()
                if pending:
                    loop.run_until_complete(
                        asyncio.wait(pending, timeout=2))
            finally:
                loop.close()

    def _make_client(self):
        import slixmpp
        from slixmpp.xmlstream.handler import Callback
        from slixmpp.xmlstream.matcher import MatchXPath

        c = slixmpp.ClientXMPP(self.jid, self.password)
        c.ssl_context.check_hostname = False
        c.ssl_context.verify_mode = ssl.CERT_NONE
        if self.auto_authorize:
            c.auto_authorize = True
            c.auto_subscribe = True
        else:
            c.auto_authorize = None    # None = manual (False would reject)
            c.auto_subscribe = False
        for plugin in ("xep_0030", "xep_0199", "xep_0092"):
            c.register_plugin(plugin)
        try:
            c.plugin["xep_0092"].config["software_name"] = "sziatest-peer"
        except Exception:
            pass
        c.add_event_handler("session_start", self._on_session_start)
        c.add_event_handler("failed_auth", self._on_failed_auth)
        c.add_event_handler("connection_failed", self._on_connection_failed)
        c.add_event_handler("disconnected", self._on_disconnected)
        c.add_event_handler("stream_error", self._on_stream_error)
        c.register_handler(Callback(
            "sziatest messages", MatchXPath("{jabber:client}message"),
            self._on_message))
        c.register_handler(Callback(
            "sziatest presences", MatchXPath("{jabber:client}presence"),
            self._on_presence))
        return c

    def _fail(self, why):
        with self._cond:
            if self.error is None:
                self.error = why
            self._cond.notify_all()

    async def _on_session_start(self, _event):
        try:
            self.client.send_presence()
            await self.client.get_roster(timeout=10)
        except Exception as exc:
            self._fail("session start: %r" % (exc,))
            return
        with self._cond:
            self._session.set()
            self._cond.notify_all()

    def _on_failed_auth(self, stanza):
        cond = ""
        try:
            cond = stanza["condition"]
        except Exception:
            pass
        self._fail("authentication failed (%s)" % (cond or "unknown"))
        self.client.abort()

    def _on_connection_failed(self, exc):
        self._fail("connection failed: %s" % (exc,))
        self.client.cancel_connection_attempt()

    def _on_stream_error(self, err):
        self._fail("stream error: %s" % (err,))

    def _on_disconnected(self, reason):
        if not self._session.is_set():
            self._fail("disconnected before session start (%s)" % (reason,))
        self.disconnected.set()
        with self._cond:
            self._cond.notify_all()

    def stop(self, timeout=5):
        """Close the stream (bounded wait) and stop the thread.  Idempotent."""
        _unregister(self)
        if self._thread is None or self._stopping:
            return
        self._stopping = True
        loop = self._loop

        async def shutdown():
            c = self.client
            if c is not None:
                c.cancel_connection_attempt()
                if c.is_connected():
                    try:
                        await asyncio.wait_for(c.disconnect(wait=1.0), 3)
                    except Exception:
                        c.abort()
            asyncio.get_running_loop().call_soon(loop.stop)

        if loop is not None and not loop.is_closed():
            try:
                fut = asyncio.run_coroutine_threadsafe(shutdown(), loop)
                fut.result(timeout)
            except Exception:
                try:
                    loop.call_soon_threadsafe(loop.stop)
                except RuntimeError:
                    pass
        self._thread.join(timeout)

    # -- incoming ---------------------------------------------------------
    def _on_message(self, msg):
        x = msg.xml
        body_el = x.find("{jabber:client}body")
        d = {
            "from": x.get("from", ""),
            "to": x.get("to", ""),
            "type": x.get("type", "normal"),
            "body": body_el.text or "" if body_el is not None else "",
            "id": x.get("id", ""),
            "raw": str(msg),
        }
        with self._cond:
            self.messages.append(d)
            self._cond.notify_all()
        if (self.auto_reply and d["body"] and d["type"] in ("chat", "normal")
                and d["from"].split("/", 1)[0] != self.bare):
            try:
                reply = self.auto_reply(d["body"])
            except Exception:
                traceback.print_exc()
                reply = None
            if reply:
                self.client.send_message(mto=d["from"], mbody=reply,
                                         mtype="chat")

    def _on_presence(self, pres):
        x = pres.xml
        show = x.find("{jabber:client}show")
        status = x.find("{jabber:client}status")
        priority = x.find("{jabber:client}priority")
        d = {
            "from": x.get("from", ""),
            "to": x.get("to", ""),
            "type": x.get("type", "available"),
            "show": show.text or "" if show is not None else "",
            "status": status.text or "" if status is not None else "",
            # The <priority/> text ("" if none: RFC 6121 says 0).
            "priority": (priority.text or "").strip()
            if priority is not None else "",
            "raw": str(pres),
        }
        with self._cond:
            self.received_presences.append(d)
            if d["type"] == "subscribe":
                self.subscription_requests.append(d["from"].split("/", 1)[0])
            self._cond.notify_all()

    def _wait(self, items, match, timeout, what):
        deadline = time.monotonic() + timeout
        with self._cond:
            seen = 0
            while True:
                for item in items[seen:]:
                    if match(item):
                        return item
                seen = len(items)
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            got = "\n".join("  " + repr(i) for i in items[-20:]) or "  (none)"
        raise AssertionError("%s: no %s within %gs; received:\n%s"
                             % (self.jid, what, timeout, got))

    def wait_message(self, pred=None, timeout=10):
        """First received message matching pred (callable on the message
        dict, or a substring of the body).  AssertionError on timeout."""
        return self._wait(self.messages, _matcher(pred, "body"), timeout,
                          "message matching %r" % (pred,))

    def wait_presence(self, pred=None, timeout=10):
        """First received presence matching pred (callable on the presence
        dict, or a substring of the raw XML)."""
        return self._wait(self.received_presences, _matcher(pred, "raw"),
                          timeout, "presence matching %r" % (pred,))

    def wait_subscription_request(self, jid=None, timeout=10):
        """Wait for a ``subscribe`` from bare `jid` (or anyone)."""
        bare = jid.split("/", 1)[0] if jid else None
        return self._wait(self.subscription_requests,
                          lambda j: bare is None or j == bare, timeout,
                          "subscription request from %s" % (bare or "anyone"))

    # -- outgoing ---------------------------------------------------------
    def _call(self, fn, *args, timeout=10, **kwargs):
        """Run fn(*args) in the peer's loop; await it if it returns an
        awaitable; return the result."""
        if self._loop is None or self._loop.is_closed() or self.client is None:
            raise RuntimeError("%s is not running" % self.jid)

        async def runner():
            r = fn(*args, **kwargs)
            if inspect.isawaitable(r):
                r = await r
            return r
        fut = asyncio.run_coroutine_threadsafe(runner(), self._loop)
        return fut.result(timeout)

    def send_message(self, to, body, mtype="chat"):
        """Send a message; returns its id."""
        def send():
            m = self.client.make_message(mto=to, mbody=body, mtype=mtype)
            m["id"] = self.client.new_id()
            m.send()
            return m["id"]
        return self._call(send)

    def send_raw(self, xml_string):
        """Send arbitrary data on the stream (for hostile-input tests)."""
        self._call(self.client.send_raw, xml_string)

    def send_presence(self, pshow=None, pstatus=None, pto=None, ptype=None):
        self._call(self.client.send_presence, pshow=pshow, pstatus=pstatus,
                   pto=pto, ptype=ptype)

    def subscribe(self, jid):
        """Send ``subscribe`` to bare jid."""
        self.send_presence(pto=jid, ptype="subscribe")

    def authorize(self, jid):
        """Send ``subscribed`` to bare jid (accept its request)."""
        self.send_presence(pto=jid, ptype="subscribed")

    def unsubscribe(self, jid):
        self.send_presence(pto=jid, ptype="unsubscribe")

    def unauthorize(self, jid):
        self.send_presence(pto=jid, ptype="unsubscribed")

    def iq(self, itype, to, xml_payload, timeout=10):
        """Send an IQ of type get/set with the given payload (XML string or
        None) to `to` (None = own account); return the reply (result or
        error) as an XML string.  AssertionError if no reply in time."""
        from slixmpp.exceptions import IqError, IqTimeout

        async def go():
            iq = self.client.Iq()
            iq["type"] = itype
            if to:
                iq["to"] = to
            if xml_payload:
                iq.xml.append(ET.fromstring(xml_payload))
            try:
                reply = await iq.send(timeout=timeout)
            except IqError as e:
                reply = e.iq
            except IqTimeout:
                return None
            return str(reply)
        result = self._call(go, timeout=timeout + 5)
        if result is None:
            raise AssertionError("%s: no reply to iq %s to %s within %gs"
                                 % (self.jid, itype, to, timeout))
        return result

    def iq_get(self, to, xml_payload, timeout=10):
        """``iq('get', ...)``: e.g. iq_get('localhost',
        "<ping xmlns='urn:xmpp:ping'/>")."""
        return self.iq("get", to, xml_payload, timeout)

    def iq_set(self, to, xml_payload, timeout=10):
        return self.iq("set", to, xml_payload, timeout)

    def roster(self, timeout=10):
        """Fresh roster from the server: ``{bare_jid: {"name", "subscription",
        "ask", "groups"}}``."""
        reply = self.iq_get(None, "<query xmlns='jabber:iq:roster'/>", timeout)
        root = ET.fromstring(reply)
        if root.get("type") != "result":
            raise AssertionError("roster get failed: " + reply)
        out = {}
        for item in root.iter("{jabber:iq:roster}item"):
            out[item.get("jid")] = {
                "name": item.get("name"),
                "subscription": item.get("subscription", "none"),
                "ask": item.get("ask"),
                "groups": [g.text or "" for g in
                           item.findall("{jabber:iq:roster}group")],
            }
        return out

    def roster_set(self, jid, name=None, groups=(), timeout=10):
        """Add/update a roster item (``jabber:iq:roster`` set)."""
        q = ET.Element("{jabber:iq:roster}query")
        item = ET.SubElement(q, "{jabber:iq:roster}item", jid=jid)
        if name is not None:
            item.set("name", name)
        for g in groups:
            ET.SubElement(item, "{jabber:iq:roster}group").text = g
        reply = self.iq_set(None, ET.tostring(q, encoding="unicode"), timeout)
        if ET.fromstring(reply).get("type") != "result":
            raise AssertionError("roster set failed: " + reply)


# --------------------------------------------------------------------------
# Proc: a line-oriented child process
# --------------------------------------------------------------------------

class Proc:
    """A child process with piped stdin and merged stdout/stderr.

    ``Proc(argv, env=None, cwd=None)`` starts it immediately (in its own
    session, so terminal signals do not reach it).  A reader thread
    collects output lines in ``lines``.  ``expect(regex)`` returns the
    ``re.Match`` of the first not-yet-consumed line matching regex and
    advances a cursor past it.  ``stop()`` terminates it by PID.

    With ``raw=True`` output is split on b"\\n" only (no universal
    newlines: a stray \\r stays in its line) and every line's exact bytes
    are also kept in ``raw_lines``; ``lines`` holds them decoded as UTF-8
    (invalid bytes replaced).
    """

    def __init__(self, argv, env=None, cwd=None, raw=False):
        self.argv = [str(a) for a in argv]
        self.lines = []
        self.raw_lines = []
        self.raw = raw
        self.cursor = 0
        self._hidden = set()     # line indices expect() skips
        self._cond = threading.Condition()
        self._eof = False
        if raw:
            self.proc = subprocess.Popen(
                self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, env=env, cwd=cwd,
                start_new_session=True, preexec_fn=_pdeathsig_preexec)
        else:
            self.proc = subprocess.Popen(
                self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True, bufsize=1, env=env,
                cwd=cwd, errors="replace", start_new_session=True,
                preexec_fn=_pdeathsig_preexec)
        _register(self)
        self._reader = threading.Thread(target=self._read, daemon=True,
                                        name="proc-%d" % self.proc.pid)
        self._reader.start()

    def __repr__(self):
        return "<Proc pid=%d %s>" % (self.proc.pid, shlex.join(self.argv))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    @property
    def pid(self):
        return self.proc.pid

    @property
    def returncode(self):
        return self.proc.poll()

    def _read(self):
        try:
            for line in self.proc.stdout:
                with self._cond:
                    if self.raw:
                        line = line[:-1] if line.endswith(b"\n") else line
                        self.raw_lines.append(line)
                        line = line.decode("utf-8", "replace")
                    else:
                        line = line.rstrip("\n")
                    self.lines.append(line)
                    self._cond.notify_all()
        except (OSError, ValueError):
            pass
        finally:
            with self._cond:
                self._eof = True
                self._cond.notify_all()

    def send(self, line):
        """Write one line (newline appended) to the process's stdin."""
        try:
            data = line + "\n"
            self.proc.stdin.write(data.encode("utf-8") if self.raw else data)
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError, OSError) as exc:
            raise AssertionError("%r: cannot write %r: %r\n%s"
                                 % (self, line, exc, self._last_lines()))

    def close_stdin(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass

    def _last_lines(self, n=40):
        with self._cond:
            tail = self.lines[-n:]
        return "--- last %d lines ---\n%s" % (len(tail), "\n".join(tail))

    def expect(self, regex, timeout=10):
        """Match of the first unconsumed output line matching `regex`
        (re.search); moves the cursor past it.  AssertionError on timeout
        or when the process has exited without producing it."""
        rx = re.compile(regex)
        deadline = time.monotonic() + timeout
        with self._cond:
            i = self.cursor
            while True:
                while i < len(self.lines):
                    m = (rx.search(self.lines[i])
                         if i not in self._hidden else None)
                    if m:
                        self.cursor = i + 1
                        return m
                    i += 1
                if self._eof:
                    why = "process exited (code %s)" % self.proc.wait(5)
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    why = "timeout after %gs" % timeout
                    break
                self._cond.wait(left)
        raise AssertionError("%r: expected /%s/: %s\n%s"
                             % (self, regex, why, self._last_lines()))

    def wait(self, timeout=10):
        """Wait for exit; return the exit code (AssertionError on timeout)."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError("%r still running after %gs\n%s"
                                 % (self, timeout, self._last_lines()))

    def stop(self, timeout=5):
        """Terminate by PID (SIGTERM, then SIGKILL); idempotent."""
        _unregister(self)
        _terminate_pid(self.proc, timeout)
        for f in (self.proc.stdin,):
            try:
                f.close()
            except (OSError, ValueError):
                pass
        self._reader.join(timeout)
        try:
            self.proc.stdout.close()
        except (OSError, ValueError):
            pass


# --------------------------------------------------------------------------
# Headless: szia-headless driven through a Proc
# --------------------------------------------------------------------------

HEADLESS_LINE = re.compile(
    r"^W(?P<num>\d+) (?P<win>.*?) \| (?P<kind>info|error|in|out|presence)"
    r"(?P<flags>(?: (?:history|delayed|highlight|pending|carbon|archive)"
    r"(?= ))*) (?P<text>.*)$")


def parse_line(line):
    """Split a headless window line ``W<num> <name> | <kind>[ flags] text``
    into a dict {num, win, kind, flag, flags, text} (None if it is not
    one); `flags` lists every flag, `flag` is history, delayed or None."""
    m = HEADLESS_LINE.match(line)
    if not m:
        return None
    d = m.groupdict()
    d["num"] = int(d["num"])
    d["flags"] = d["flags"].split()
    # The first of history/delayed, as before several flags existed.
    d["flag"] = next((f for f in d["flags"] if f in ("history", "delayed")),
                     None)
    return d


class Headless(Proc):
    """szia-headless (tests/headless.c) as a :class:`Proc`.

    ``Headless(home, account=None, log=None, env=None)`` runs
    ``szia-headless [-a account]`` with ``home.env()`` (plus
    SZIA_THEMEDIR, SZIA_LOG=log when given, and `env` overrides), after
    the words of `prefix` if any (a wrapper such as strace).  Lines it
    prints: ``W<num> <window> | <kind> [who: ]text``, ``PROMPT ...``,
    ``STATE offline|connecting|online|waiting``.

    * ``wait_state(name)``: expect ``STATE name``; ``wait_online()``:
      expect the login and ``STATE online``, return the full JID.
    * ``dump()``: the current window's lines (``!dump``) as a list.  The
      lines driver commands print are hidden from ``expect()``.
    * ``roster()``: ``!roster`` as a list of (group, jid, display, show);
      ``wait_roster(pred)`` polls it until pred(rows) (or a JID is there).
    * ``stats()``: the loop's counters (``!stats``) as a dict.
    * ``expect_none(regex, seconds)``: AssertionError if such a line
      appears within `seconds` (for "and nothing else happens" checks).
    * ``quit()``: ``/quit``; returns the exit status.
    """

    _marks = 0

    def __init__(self, home, account=None, log=None, env=None, binary=None,
                 prefix=()):
        binary = binary or szia_headless_binary()
        if binary is None:
            raise RuntimeError("szia-headless not found (set SZIA_BUILDDIR)")
        extra = {"SZIA_THEMEDIR": szia_themedir()}
        if log:
            extra["SZIA_LOG"] = log
        extra.update(env or {})
        argv = list(prefix) + [binary] + (["-a", account] if account else [])
        self.home = home
        super().__init__(argv, env=home.env(**extra), raw=True)

    def wait_state(self, state, timeout=15):
        return self.expect(r"^STATE %s$" % re.escape(state), timeout)

    def wait_online(self, timeout=15):
        """Expect "Connected as JID." in the console, then ``STATE
        online``; return the full JID."""
        m = self.expect(r"^W1 console \| info Connected as (\S+)\.$",
                        timeout)
        self.wait_state("online")
        return m.group(1)

    def _driver(self, command, end_regex, timeout):
        """Run a driver command and return the lines it printed.

        A marker (an unknown driver command, echoed as ``DRIVER unknown
        command TAG``) goes out in the same write as the command, so both
        are handled in one loop turn and everything between the marker's
        echo and the line matching end_regex is the command's answer.
        Those lines are hidden from expect(); the cursor does not move, so
        window lines printed meanwhile can still be expected."""
        Headless._marks += 1
        tag = "!mark-%d-%d" % (os.getpid(), Headless._marks)
        echo = "DRIVER unknown command " + tag
        rx = re.compile(end_regex)
        with self._cond:
            i = len(self.lines)
        self.send(tag + "\n" + command)
        deadline = time.monotonic() + timeout
        begin = None
        with self._cond:
            while True:
                while i < len(self.lines):
                    if begin is None and self.lines[i] == echo:
                        begin = i
                    elif begin is not None and rx.search(self.lines[i]):
                        self._hidden.update(range(begin, i + 1))
                        return self.lines[begin + 1:i]
                    i += 1
                left = deadline - time.monotonic()
                if self._eof or left <= 0:
                    break
                self._cond.wait(left)
        raise AssertionError("%r: no answer to %s within %gs\n%s"
                             % (self, command, timeout, self._last_lines()))

    def stats(self, timeout=10):
        """``!stats``: the loop's counters (src/util/stats.h) as a dict
        of ints: turns, wakeups, draws, commits, roster_cmps."""
        lines = self._driver("!stats", r"^STATS END$", timeout)
        line = [l for l in lines if l.startswith("STATS ")][0]
        return {k: int(v) for k, v in
                (kv.split("=", 1) for kv in line[6:].split())}

    def dump(self, timeout=10):
        """Lines of the current window (``!dump``), in order."""
        return self._driver("!dump", r"^DUMP END$", timeout)

    def roster(self, timeout=10):
        """``!roster`` rows as (group, jid, display, show) tuples."""
        rows = []
        for l in self._driver("!roster", r"^ROSTER END \d+$", timeout):
            if l.startswith("ROSTER "):
                rows.append(tuple(l[len("ROSTER "):].split(" | ")))
        return rows

    def wait_roster(self, pred, what="a matching roster", timeout=10):
        """Poll ``roster()`` until pred(rows) is true; return the rows.
        `pred` may also be a bare JID that must be in the roster."""
        if isinstance(pred, str):
            jid = pred
            pred = lambda rows: any(r[1] == jid for r in rows)  # noqa: E731
            what = jid
        return poll(self.roster, pred, "%s in !roster of %r" % (what, self),
                    timeout)

    def expect_none(self, regex, seconds):
        """Fail if a not-yet-consumed line matching regex shows up within
        `seconds` (the cursor does not move)."""
        rx = re.compile(regex)
        deadline = time.monotonic() + seconds
        with self._cond:
            i = self.cursor
            while True:
                while i < len(self.lines):
                    if i not in self._hidden and rx.search(self.lines[i]):
                        raise AssertionError(
                            "%r: unexpected line /%s/: %r\n%s" % (
                                self, regex, self.lines[i],
                                self._last_lines()))
                    i += 1
                left = deadline - time.monotonic()
                if self._eof or left <= 0:
                    return
                self._cond.wait(left)

    def quit(self, timeout=10):
        """Type /quit and return the exit status."""
        self.send("/quit")
        return self.wait(timeout)


# --------------------------------------------------------------------------
# Tmux: a program in a private detached tmux server
# --------------------------------------------------------------------------

class Tmux:
    """Run a (TUI) program in a private, detached tmux server.

    ``Tmux(cmd_argv, width=100, height=30, env=None, term="tmux-256color")``
    starts ``tmux -L szia-test-<pid>-<n> -f /dev/null`` with a single pane of
    exactly width x height (status line off) running cmd_argv.  `env` is the
    complete environment for the program (default: os.environ); TERM is set
    to `term`, LANG/LC_ALL default to C.UTF-8.  The pane stays around after
    the program exits (remain-on-exit) so its last screen can be captured;
    ``alive()`` tells whether the program is still running.
    """

    _counter = 0
    _counter_lock = threading.Lock()

    def __init__(self, cmd_argv, width=100, height=30, env=None,
                 term="tmux-256color"):
        with Tmux._counter_lock:
            Tmux._counter += 1
            n = Tmux._counter
        self.socket = "szia-test-%d-%d" % (os.getpid(), n)
        self.target = "main"
        self.width, self.height = width, height
        self.argv = [str(a) for a in cmd_argv]
        penv = dict(os.environ if env is None else env)
        penv["TERM"] = term
        penv.setdefault("LANG", "C.UTF-8")
        penv.setdefault("LC_ALL", "C.UTF-8")
        for k in ("TMUX", "TMUX_PANE"):
            penv.pop(k, None)
        self._tmux_env = dict(penv)
        self.server_pid = None
        self.pane_pid = None
        self.socket_path = None
        # The exit status is recorded by a tiny sh wrapper: tmux 3.3 loses
        # #{pane_dead_status} when a client command races with the exit.
        # The wrapper catches (not ignores: that would be inherited) SIGINT
        # and SIGQUIT so that C-c kills the program but not the wrapper.
        self._statdir = tempfile.mkdtemp(prefix="szia-tmux.")
        self.status_path = os.path.join(self._statdir, "status")
        _register(self)
        inner = ["sh", "-c", 'trap : INT QUIT; "$@"; echo $? > "$0"',
                 self.status_path]
        # env(1): options, "--", NAME=VALUE..., then the command.
        inner += ["env", "-i", "--"]
        inner += ["%s=%s" % kv for kv in sorted(penv.items())
                  if kv[0] and "=" not in kv[0]]
        inner += self.argv
        self._tmux("start-server", ";",
                   "set-option", "-g", "remain-on-exit", "on", ";",
                   "set-option", "-g", "status", "off", ";",
                   "set-option", "-g", "escape-time", "0", ";",
                   "set-option", "-g", "default-terminal", term, ";",
                   "new-session", "-d", "-s", self.target,
                   "-x", str(width), "-y", str(height), "--", *inner)
        info = self._tmux("display-message", "-p", "-t", self.target,
                          "#{pid} #{pane_pid} #{socket_path}").rstrip("\n")
        pid, pane_pid, self.socket_path = info.split(" ", 2)
        self.server_pid, self.pane_pid = int(pid), int(pane_pid)

    def __repr__(self):
        return "<Tmux -L %s %s>" % (self.socket, shlex.join(self.argv))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def _tmux(self, *args, check=True, timeout=10):
        r = subprocess.run(["tmux", "-u", "-L", self.socket, "-f", "/dev/null"]
                           + list(args), env=self._tmux_env,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True,
                           errors="replace", timeout=timeout)
        if check and r.returncode != 0:
            raise RuntimeError("tmux %s failed (%d): %s" % (
                " ".join(args[:3]), r.returncode, r.stderr.strip()))
        return r.stdout

    def send_keys(self, *keys, literal=False):
        """``tmux send-keys`` (key names like Enter, C-c, Up; literal=True
        sends the strings as typed text via ``-l``)."""
        args = ["send-keys", "-t", self.target]
        if literal:
            args.append("-l")
        self._tmux(*args, *keys)

    def type(self, text):
        """Type text literally, then press Enter."""
        if text:
            self.send_keys(text, literal=True)
        self.send_keys("Enter")

    def capture(self, escapes=False):
        """Current screen as text (with SGR escapes if escapes=True)."""
        args = ["capture-pane", "-p", "-t", self.target]
        if escapes:
            args.append("-e")
        return self._tmux(*args)

    def wait_for(self, regex, timeout=10, flags=re.M):
        """Poll the screen until regex matches; return the screen text.
        AssertionError showing the screen on timeout."""
        rx = re.compile(regex, flags)
        screen = _wait_until(lambda: (lambda s: s if rx.search(s) else None)(
            self.capture()), timeout)
        if screen is None:
            raise AssertionError("tmux: /%s/ not on screen after %gs%s:\n%s"
                                 % (regex, timeout, self._deadnote(),
                                    self._boxed(self.capture())))
        return screen

    def wait_gone(self, regex, timeout=10, flags=re.M):
        """Poll until regex no longer matches; return the screen."""
        rx = re.compile(regex, flags)
        screen = _wait_until(lambda: (lambda s: None if rx.search(s) else s)(
            self.capture()), timeout)
        if screen is None:
            raise AssertionError("tmux: /%s/ still on screen after %gs:\n%s"
                                 % (regex, timeout,
                                    self._boxed(self.capture())))
        return screen

    def wait_exit(self, timeout=10):
        """Wait until the program exits; return its exit status (128+N if
        killed by signal N)."""
        if not _wait_until(lambda: not self.alive(), timeout):
            raise AssertionError("tmux: program still running after %gs:\n%s"
                                 % (timeout, self._boxed(self.capture())))
        _wait_until(lambda: self.exit_status() is not None, 2)
        return self.exit_status()

    def _deadnote(self):
        if self.alive():
            return ""
        return " (program exited with status %s)" % self.exit_status()

    def _boxed(self, screen):
        lines = screen.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        bar = "+" + "-" * self.width + "+"
        return "\n".join([bar] + ["|" + l.ljust(self.width) + "|"
                                  for l in lines] + [bar])

    def resize(self, width, height):
        """Resize the window (the program gets SIGWINCH)."""
        self._tmux("resize-window", "-t", self.target,
                   "-x", str(width), "-y", str(height))
        self.width, self.height = width, height

    def alive(self):
        """True while the program in the pane is running."""
        out = self._tmux("display-message", "-p", "-t", self.target,
                         "#{pane_dead}", check=False)
        return out.strip() == "0"

    def exit_status(self):
        """Exit status of the program once it exited (128+N if killed by
        signal N), None while running or if unknown."""
        try:
            with open(self.status_path) as f:
                text = f.read().strip()
            if text.isdigit():
                return int(text)
        except OSError:
            pass
        return None

    def stop(self):
        """Kill the private tmux server (and with it the program)."""
        _unregister(self)
        self._tmux("kill-server", check=False)
        for pid in (self.pane_pid, self.server_pid):
            if pid and not _wait_until(lambda: not _pid_alive(pid), 3):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.server_pid = self.pane_pid = None
        if self.socket_path:
            try:
                os.unlink(self.socket_path)   # tmux may leave it behind
            except OSError:
                pass
            self.socket_path = None
        shutil.rmtree(self._statdir, ignore_errors=True)


# --------------------------------------------------------------------------
# SziaHome: temporary HOME / XDG directories and the accounts file
# --------------------------------------------------------------------------

class SziaHome:
    """A temporary home for szia: HOME and XDG_{CONFIG,DATA,STATE,CACHE}_HOME
    below one temp dir.  ``env()`` gives the environment to run szia with;
    ``write_account()`` maintains ``$XDG_CONFIG_HOME/szia/accounts``.
    Removed at exit unless ``keep=True`` or SZIA_TEST_KEEP=1."""

    ACCOUNT_KEYS = ("jid", "password", "eval_password", "server", "port",
                    "tls", "resource", "tls_fingerprint")

    def __init__(self, keep=False):
        self.keep = keep or keep_requested()
        self.dir = tempfile.mkdtemp(prefix="szia-home.")
        self.home = os.path.join(self.dir, "home")
        self.config_home = os.path.join(self.dir, "config")
        self.data_home = os.path.join(self.dir, "data")
        self.state_home = os.path.join(self.dir, "state")
        self.cache_home = os.path.join(self.dir, "cache")
        for d in (self.home, self.config_home, self.data_home,
                  self.state_home, self.cache_home):
            os.makedirs(d, mode=0o700)
        self.accounts_path = os.path.join(self.config_home, "szia",
                                          "accounts")
        # [sync] No server-archive fetch on a first login (mam.initial =
        # 0), so that tests see only the messages they exchange; tests of
        # the archive write their own sziarc.
        os.makedirs(os.path.join(self.config_home, "szia"), mode=0o700)
        with open(os.path.join(self.config_home, "szia", "sziarc"),
                  "w") as f:
            f.write("[mam]\ninitial = 0\n")
        _register(self)

    def __repr__(self):
        return "<SziaHome %s>" % self.dir

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def env(self, **extra):
        """Copy of os.environ with HOME/XDG_* pointing into this home,
        LANG=LC_ALL=C.UTF-8, TERM kept; `extra` overrides."""
        e = dict(os.environ)
        e.update({
            "HOME": self.home,
            "XDG_CONFIG_HOME": self.config_home,
            "XDG_DATA_HOME": self.data_home,
            "XDG_STATE_HOME": self.state_home,
            "XDG_CACHE_HOME": self.cache_home,
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
        })
        e.update({k: str(v) for k, v in extra.items()})
        return e

    def _read_accounts(self):
        cp = configparser.RawConfigParser(interpolation=None)
        cp.optionxform = str
        if os.path.exists(self.accounts_path):
            cp.read(self.accounts_path, encoding="utf-8")
        return cp

    def write_account(self, name, jid, password=None, server="127.0.0.1",
                      port=None, tls="starttls", tls_fingerprint=None,
                      eval_password=None, resource=None, extra=None):
        """Create or replace section [name] in the accounts file (INI,
        ``key = value``, mode 0600 in a 0700 directory).  Keys whose value
        is None are omitted; `extra` adds further keys."""
        values = {"jid": jid, "password": password,
                  "eval_password": eval_password, "server": server,
                  "port": port, "tls": tls, "resource": resource,
                  "tls_fingerprint": tls_fingerprint}
        values.update(extra or {})
        cp = self._read_accounts()
        sections = {s: dict(cp.items(s)) for s in cp.sections()}
        sections[name] = {k: _ini_value(v) for k, v in values.items()
                          if v is not None}
        cfg_dir = os.path.dirname(self.accounts_path)
        os.makedirs(cfg_dir, mode=0o700, exist_ok=True)
        os.chmod(cfg_dir, 0o700)
        out = []
        for sec, kv in sections.items():
            out.append("[%s]" % sec)
            out.extend("%s = %s" % (k, v) for k, v in kv.items())
            out.append("")
        tmp = self.accounts_path + ".tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write("\n".join(out))
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.accounts_path)
        return self.accounts_path

    def logdb(self, account):
        """Path of the message log database of `account`."""
        return os.path.join(self.data_home, "szia", account, "log.db")

    def rows(self, account, where="1", args=()):
        """The log.db messages of `account` matching `where` (SQL, with
        `args`) as dicts, oldest first; [] while there is no log.db."""
        path = self.logdb(account)
        if not os.path.exists(path):
            return []
        db = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=10)
        db.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in db.execute(
                "SELECT * FROM messages WHERE %s ORDER BY id" % where, args)]
        finally:
            db.close()

    def wait_rows(self, account, n, where="1", args=(), timeout=15):
        """Poll ``rows()`` until at least `n` match; return them."""
        return poll(lambda: self.rows(account, where, args),
                    lambda got: len(got) >= n,
                    "%d log.db rows where %s %r" % (n, where, args), timeout)

    def write_sziarc(self, text, append=False):
        """Replace szia's configuration file with `text` (dropping the
        ``mam.initial = 0`` written at creation), or add `text` to it."""
        with open(os.path.join(self.config_home, "szia", "sziarc"),
                  "a" if append else "w") as f:
            f.write(text)

    def stop(self):
        """Remove the directory (unless kept).  Idempotent."""
        _unregister(self)
        if os.path.isdir(self.dir):
            if self.keep:
                print("sziatest: keeping szia home %s" % self.dir,
                      file=sys.stderr)
            else:
                shutil.rmtree(self.dir, ignore_errors=True)


def _ini_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


# --------------------------------------------------------------------------
# Mini test runner
# --------------------------------------------------------------------------

def skip_all(reason):
    """Skip the whole test file (exit 77, automake's SKIP)."""
    raise SkipAll(reason)


def need_headless():
    """Skip the test file unless szia-headless is built."""
    if szia_headless_binary() is None:
        skip_all("szia-headless not built (SZIA_BUILDDIR)")


# The Debian packages of the programs the tests use (tools/install-deps).
DEBIAN_PACKAGES = {
    "prosody": "prosody", "prosodyctl": "prosody", "openssl": "openssl",
    "turnserver": "coturn", "tmux": "tmux", "ldns-testns": "ldnsutils",
    "named-checkzone": "bind9-utils", "nginx": "nginx",
    "shellcheck": "shellcheck", "nft": "nftables", "msgfmt": "gettext",
    "locale": "locales", "unshare": "util-linux",
}


def skips_allowed():
    """SZIA_ALLOW_SKIP=1: a test file whose tools are missing is skipped
    (exit 77) instead of failing."""
    return os.environ.get("SZIA_ALLOW_SKIP", "") == "1"


def missing(what):
    """WHAT (one line naming the missing things and their Debian packages)
    is not installed, though tools/install-deps installs it: fail the test
    file, or skip it with SZIA_ALLOW_SKIP=1."""
    text = "missing %s; tools/install-deps installs %s" % (
        what, "them" if "), " in what else "it")
    if skips_allowed():
        skip_all(text)
    raise MissingTool(text)


def require(tools=(), files=()):
    """Fail the test file (see :func:`missing`) unless every program in
    TOOLS is on $PATH and every (glob, Debian package) of FILES exists."""
    gone = ["%s (Debian package %s)" % (t, DEBIAN_PACKAGES.get(t, "?"))
            for t in tools if shutil.which(t) is None]
    gone += ["%s (Debian package %s)" % (pattern, package)
             for pattern, package in files if not glob.glob(pattern)]
    if gone:
        missing(", ".join(gone))


def run_test(fn):
    """Run one test function; return (ok, formatted_traceback_or_None)."""
    try:
        fn()
        return True, None
    except (SkipAll, MissingTool):
        raise
    except BaseException:
        if isinstance(sys.exc_info()[1], (KeyboardInterrupt, SystemExit)):
            raise
        return False, traceback.format_exc()


def main(namespace, requires=("prosody", "prosodyctl", "openssl"),
         strict=False):
    """Run the ``test_*`` functions of `namespace` (pass ``globals()``) in
    definition order, printing ``ok - name`` / ``not ok - name`` and finally
    ``N passed, M failed``.  Exit status 0, 1 if any failed, 77 (SKIP) if a
    required program is missing or a test calls :func:`skip_all`.  With
    STRICT, a missing required program fails (exit 1) as :func:`require`
    does, unless SZIA_ALLOW_SKIP=1; so does :func:`missing` anywhere.

    Optional ``setup_module()`` / ``teardown_module()`` in the namespace run
    before / after the tests.  Command-line arguments select tests whose
    names contain any of them."""
    def out(*a):
        print(*a, flush=True)

    gone = [b for b in requires if shutil.which(b) is None]
    if gone and strict:
        try:
            require(gone)
        except SkipAll as exc:
            out("SKIP: %s" % exc)
            sys.exit(77)
        except MissingTool as exc:
            out("not ok - %s" % exc)
            sys.exit(1)
    if gone:
        out("SKIP: required program(s) not found: %s" % ", ".join(gone))
        sys.exit(77)

    san_dir = _sanitizer_logs_begin()
    wanted = sys.argv[1:]
    tests = [(n, f) for n, f in namespace.items()
             if n.startswith("test_") and callable(f)
             and (not wanted or any(w in n for w in wanted))]
    passed = failed = 0
    try:
        setup = namespace.get("setup_module")
        if callable(setup):
            ok, tb = run_test(setup)
            if not ok:
                out("not ok - setup_module")
                out(tb.rstrip())
                out("0 passed, %d failed" % max(1, len(tests)))
                sys.exit(1)
        for name, fn in tests:
            t0 = time.monotonic()
            ok, tb = run_test(fn)
            reports = _sanitizer_reports(san_dir)
            if reports:
                tb = (tb or "") + "sanitizer reports:\n" + reports
                ok = False
            if ok:
                passed += 1
                out("ok - %s" % name)
            else:
                failed += 1
                out("not ok - %s" % name)
                out("# " + tb.rstrip().replace("\n", "\n# "))
            if os.environ.get("SZIA_TEST_VERBOSE"):
                out("# %s took %.2fs" % (name, time.monotonic() - t0))
    except SkipAll as exc:
        out("SKIP: %s" % exc)
        cleanup_all()
        sys.exit(77)
    except MissingTool as exc:
        out("not ok - %s" % exc)
        out("0 passed, %d failed" % max(1, len(tests)))
        cleanup_all()
        sys.exit(1)
    finally:
        teardown = namespace.get("teardown_module")
        if callable(teardown):
            ok, tb = run_test(teardown)
            if not ok:
                out("# teardown_module failed:\n# "
                    + tb.rstrip().replace("\n", "\n# "))
        cleanup_all()
        reports = _sanitizer_reports(san_dir)
        if reports:
            failed += 1
            out("not ok - sanitizer reports after the tests")
            out("# " + reports.rstrip().replace("\n", "\n# "))
        shutil.rmtree(san_dir, ignore_errors=True)
    out("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


def _sanitizer_logs_begin():
    """Make AddressSanitizer, LeakSanitizer and UBSan in every program the
    tests start (they inherit os.environ) write their reports into a
    folder of ours, so that a report fails the test during which it
    appeared even when the program's output is not read (tmux, killed
    processes).  Without a sanitizer build the folder stays empty."""
    san_dir = tempfile.mkdtemp(prefix="szia-san.")
    for var, name in (("ASAN_OPTIONS", "asan"), ("UBSAN_OPTIONS", "ubsan")):
        prev = os.environ.get(var, "")
        os.environ[var] = ((prev + ":") if prev else "") + \
            "log_path=%s/%s" % (san_dir, name)
    return san_dir


def _sanitizer_reports(san_dir):
    """The text of new reports in san_dir (removed once read), or ""."""
    texts = []
    for name in sorted(os.listdir(san_dir)):
        path = os.path.join(san_dir, name)
        try:
            with open(path, errors="replace") as f:
                texts.append("== %s\n%s" % (name, f.read()[-6000:]))
            os.unlink(path)
        except OSError:
            pass
    return "\n".join(texts)


# --------------------------------------------------------------------------
# [sync] Proxy: a TCP relay whose connections can be cut on demand
# --------------------------------------------------------------------------

# -- an HTTPS upload endpoint of the test's own (XEP-0363 slots point there) --

@contextlib.contextmanager
def put_elsewhere(handler, srv):
    """Start Prosody `srv` (an upload server, not yet started) with its
    slots pointing to an HTTPS server on 127.0.0.1 (the Prosody's
    certificate) whose requests `handler` answers: yields (srv, port)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    port = httpd.server_address[1]
    srv.upload_options = list(getattr(srv, "upload_options", [])) + [
        'http_file_share_base_url = "https://localhost:%d/up/"' % port]
    with srv:
        ctx.load_cert_chain(srv.cert_path, srv.key_path)
        httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            yield srv, port
        finally:
            httpd.shutdown()
            httpd.server_close()


def gated_put():
    """A handler class for put_elsewhere() that reads the PUT, sets its
    `got` event, and answers 201 only once its `gate` event is set (each
    call makes a class with events of its own)."""
    class GatedPut(http.server.BaseHTTPRequestHandler):
        got = threading.Event()
        gate = threading.Event()

        def do_PUT(self):
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            type(self).got.set()
            type(self).gate.wait(60)
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass
    return GatedPut


def tcp_peers(pid):
    """Remote ports of process pid's established TCP connections to
    127.0.0.1 (its socket inodes matched in /proc/net/tcp)."""
    inodes = set()
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    ports = set()
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            col = line.split()
            rem_ip, rem_port = col[2].split(":")
            if col[3] == "01" and col[9] in inodes and rem_ip == "0100007F":
                ports.add(int(rem_port, 16))
    return ports


class Proxy:
    """A TCP relay on 127.0.0.1 in front of ``target_port`` (e.g. a
    Prosody's c2s port), to break connections without stopping the server.

    ``Proxy(target_port).start()``; point the client at ``proxy.port``.

    * ``cut()`` resets (TCP RST, both sides) every connection currently
      relayed, as a dropped network would; new ones are accepted as before.
      Returns how many were cut.
    * ``refuse(True)``: reset new connections at once (the server looks
      down) until ``refuse(False)``.
    * ``accepted``: connections relayed so far.
    * ``stop()`` closes the listening socket and cuts what is left.
    """

    def __init__(self, target_port):
        self.target_port = int(target_port)
        self.port = None
        self.accepted = 0
        self.refusing = False
        self._listener = None
        self._conns = []
        self._lock = threading.Lock()

    def __repr__(self):
        return "<Proxy %s -> %s>" % (self.port, self.target_port)

    def __enter__(self):
        if self._listener is None:
            self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((LOOPBACK, 0))
        s.listen(16)
        self._listener = s
        self.port = s.getsockname()[1]
        _register(self)
        threading.Thread(target=self._accept, name="proxy-%d" % self.port,
                         daemon=True).start()
        return self

    def _accept(self):
        listener = self._listener
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if self.refusing:
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                  struct.pack("ii", 1, 0))
                client.close()
                continue
            try:
                upstream = socket.create_connection(
                    (LOOPBACK, self.target_port), timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            conn = {"sockets": (client, upstream), "cut": False}
            with self._lock:
                self._conns.append(conn)
                self.accepted += 1
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(conn, a, b),
                                 daemon=True).start()

    def _pipe(self, conn, a, b):
        try:
            while True:
                data = a.recv(65536)
                if not data:
                    break
                b.sendall(data)
        except OSError:
            pass
        with self._lock:
            if conn["cut"]:
                return
        try:
            b.shutdown(socket.SHUT_WR)    # pass the end of stream on
        except OSError:
            pass

    def refuse(self, on=True):
        self.refusing = bool(on)

    def cut(self):
        with self._lock:
            conns, self._conns = self._conns, []
            for c in conns:
                c["cut"] = True
        for c in conns:
            for s in c["sockets"]:
                try:
                    # Linger 0: close() sends RST, not FIN.
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                 struct.pack("ii", 1, 0))
                    s.shutdown(socket.SHUT_RD)  # wakes the relay thread
                except OSError:
                    pass
        for c in conns:
            for s in c["sockets"]:
                try:
                    s.close()
                except OSError:
                    pass
        return len(conns)

    def stop(self):
        if self._listener is not None:
            try:
                self._listener.close()
            except OSError:
                pass
            self._listener = None
        self.cut()
        _unregister(self)
