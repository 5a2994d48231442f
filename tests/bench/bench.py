#!/usr/bin/python3
"""bench.py - szia's benchmark (``make bench``; not part of ``make check``).

    bench.py [--szia PATH] [--floor PATH] [--messages 10000] [--repeat 5] ...

Against a throwaway Prosody on 127.0.0.1 (without mod_limits, mod_mam and
mod_smacks, logging at info level: the server should be as fast as it can
be), a scripted sender (raw XMPP in a process of its own: STARTTLS, SASL
PLAIN, then pre-built stanzas) sends one-to-one chat messages of a fixed
size to a running receiver, in windows: WINDOW messages then an XEP-0199
ping, at most INFLIGHT windows not yet answered.  By default the ping goes
to the receiver's full JID, so the window is end to end and Prosody never
piles up output for a slow reader (it re-copies that buffer on every
write); --ping server pings the server instead.  The receivers, one after
the other, REPEAT rounds:

  floor-count    tests/bench/floor.c: bare libstrophe, only counts
  floor-sqlite   the same, and logs every message into SQLite the way szia
                 does (prepared INSERT, one transaction per wake-up, WAL,
                 synchronous=NORMAL, szia's table and indexes)
  szia           szia-headless: szia's core, XMPP layer, log and loop; its
                 stdout (one line per message) goes to a pipe that a
                 thread here reads and throws away
  szia-tui       the real szia, ncurses and readline included, in an
                 80x24 tmux pane showing the conversation; the burst is
                 over when log.db has every message (polled every 20 ms,
                 so up to 20 ms late).  Its idle and peak RSS are the ones
                 held against the targets; it runs the bursts only (its
                 login is the headless one plus the screen)

For each: wall time from the sender's first byte until the receiver has
all messages (floor: its DONE line, printed after the commit; szia: the
line of the last message, which szia-headless prints after the loop turn's
commit; the row count of log.db is checked afterwards), the receiver's CPU
time over the burst (user and sys from /proc/PID/stat; the total from
se.sum_exec_runtime in /proc/PID/sched when the kernel has it, which is
exact where the ticks are 10 ms), its voluntary context switches (wake-ups),
its RSS once logged in and idle, and its peak RSS during the burst (VmHWM,
reset through /proc/PID/clear_refs before the burst).  Prosody's and the
sender's CPU over the burst are printed too: when the server's is close to
the wall time, the server is the bottleneck and the wall times say little
about the receivers.

Then the login with a big roster: an account with CONTACTS contacts (one
of 20 groups each, subscription both, all offline: each contact's roster
has the account too, so the server's probes are answered "unavailable"),
written straight into Prosody's storage.  Login time is from starting the
process until the roster is there: floor prints a line when the roster
result arrives; for szia the driver asks ``!roster`` every 2 ms once
``STATE online`` was printed, until it lists every contact (so up to about
2 ms late).  The message logs are kept from one login to the next, as a
user's are.  CPU (since the start) and RSS are read 1 s later, after the
contacts' presences have come in.

Figures are medians over the rounds; szia's are also printed as ratios to
the floors.  The targets are printed next to them, measured, not asserted:
the exit status is 0 unless something failed to run.

Profiling: --only RECEIVER (repeatable) runs only those bursts; --perf DIR
records each burst's receiver with perf; --callgrind FILE runs the
receivers under callgrind with the counters covering the burst only
(FILE.<receiver>.1); --wrap CMD runs them under any command.
"""

import argparse
import base64
import os
import re
import shutil
import signal
import socket
import sqlite3
import ssl
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import sziatest  # noqa: E402

LOOPBACK = sziatest.LOOPBACK
DOMAIN = "localhost"
USERS = {"tx": "txpw-bench", "rx": "rxpw-bench", "many": "manypw-bench"}
RESOURCE = "bench"
CLK_TCK = os.sysconf("SC_CLK_TCK")
TIMEOUT = 120.0

# Targets from the issue (szia vs the SQLite floor).
TARGET_CPU_RATIO = 1.5
TARGET_IDLE_RSS_MB = 12.0
TARGET_PEAK_RSS_MB = 16.0
TARGET_LOGIN_RATIO = 1.2


def say(*args):
    print("bench:", *args, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# The sender: raw XMPP over TLS in its own process (bench.py --sender)
# --------------------------------------------------------------------------

STREAM_OPEN = ("<?xml version='1.0'?><stream:stream to='%s' "
               "xmlns='jabber:client' "
               "xmlns:stream='http://etherx.jabber.org/streams' "
               "version='1.0'>" % DOMAIN).encode()
FILLER = ("The quick brown fox jumps over the lazy dog; pack my box with "
          "five dozen liquor jugs. ")


def make_body(tag, i, size):
    """Exactly `size` bytes of ASCII, unique per run and message."""
    head = "%s %06d " % (tag, i)
    text = head + FILLER * (size // len(FILLER) + 2)
    return text[:size]


class Sender:
    """A minimal XMPP client: STARTTLS, SASL PLAIN, bind.  Nothing is
    parsed beyond what the login needs and the ids of ping answers."""

    ACK = re.compile(rb"<iq [^>]*id=['\"](bp-[^'\"]+)['\"]")

    def __init__(self, port, user, password, resource):
        self.port, self.user, self.password = port, user, password
        self.resource = resource
        self.sock = None
        self.buf = b""
        self.acked = set()
        self.jid = None

    def _recv(self):
        data = self.sock.recv(65536)
        if not data:
            raise RuntimeError("sender: the server closed the stream: %r"
                               % self.buf[-300:])
        self.buf += data

    def _until(self, *patterns):
        """Read until one of `patterns` is in the buffer; return the
        buffer up to the end of the pattern and keep the rest."""
        while True:
            for p in patterns:
                i = self.buf.find(p)
                if i >= 0:
                    j = i + len(p)
                    k = self.buf.find(b">", j - 1)
                    end = k + 1 if k >= 0 else j
                    head, self.buf = self.buf[:end], self.buf[end:]
                    return head
            self._recv()

    def login(self):
        s = socket.create_connection((LOOPBACK, self.port), timeout=30)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = s
        s.sendall(STREAM_OPEN)
        self._until(b"</stream:features>")
        s.sendall(b"<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
        self._until(b"<proceed")
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        self.sock = ctx.wrap_socket(s, server_hostname=DOMAIN)
        self.buf = b""
        self.sock.sendall(STREAM_OPEN)
        self._until(b"</stream:features>")
        cred = base64.b64encode(("\0%s\0%s" % (self.user, self.password))
                                .encode()).decode()
        self.sock.sendall(("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' "
                           "mechanism='PLAIN'>%s</auth>" % cred).encode())
        got = self._until(b"<success", b"<failure")
        if b"<failure" in got:
            raise RuntimeError("sender: authentication failed")
        self.buf = b""
        self.sock.sendall(STREAM_OPEN)
        self._until(b"</stream:features>")
        self.sock.sendall(("<iq type='set' id='bind1'><bind xmlns='urn:ietf:"
                           "params:xml:ns:xmpp-bind'><resource>%s</resource>"
                           "</bind></iq>" % self.resource).encode())
        got = self._until(b"</iq>")
        m = re.search(rb"<jid>([^<]+)</jid>", got)
        if not m:
            raise RuntimeError("sender: bind failed: %r" % got)
        self.jid = m.group(1).decode()
        self.sock.settimeout(TIMEOUT)

    def _read_acks(self):
        self._recv()
        for m in self.ACK.finditer(self.buf):
            self.acked.add(m.group(1).decode())
        cut = self.buf.rfind(b">")
        if cut >= 0:
            self.buf = self.buf[cut + 1:]

    def _wait_ack(self, ping_id):
        while ping_id not in self.acked:
            self._read_acks()

    def run(self, tag, to, ping_to, n, size, window, inflight):
        """Send n messages; returns (t_first_byte, t_last_ack, cpu)."""
        wins, ids = [], []
        for w, start in enumerate(range(0, n, window)):
            parts = []
            for i in range(start + 1, min(start + window, n) + 1):
                parts.append("<message to='%s' type='chat' id='%s-%d'>"
                             "<body>%s</body></message>"
                             % (to, tag, i, make_body(tag, i, size)))
            ping_id = "bp-%s-%d" % (tag, w)
            parts.append("<iq type='get' to='%s' id='%s'><ping xmlns='urn:"
                         "xmpp:ping'/></iq>" % (ping_to, ping_id))
            wins.append("".join(parts).encode())
            ids.append(ping_id)
        cpu0 = time.process_time()
        t0 = time.monotonic()
        for w, data in enumerate(wins):
            if w >= inflight:
                self._wait_ack(ids[w - inflight])
            self.sock.sendall(data)
        for ping_id in ids[-inflight:]:
            self._wait_ack(ping_id)
        t1 = time.monotonic()
        return t0, t1, time.process_time() - cpu0

    def close(self):
        try:
            self.sock.sendall(b"</stream:stream>")
            self.sock.close()
        except OSError:
            pass


def sender_main(args):
    """bench.py --sender: log in, print READY, then on stdin
    ``RUN tag to ping_to n size window inflight`` -> ``SENT t0 t1 cpu``;
    ``QUIT`` (or end of input) leaves."""
    s = Sender(args.port, args.user, args.password, RESOURCE)
    try:
        s.login()
    except Exception as exc:
        print("ERROR %s" % exc, flush=True)
        return 1
    print("READY %s" % s.jid, flush=True)
    for line in sys.stdin:
        f = line.split()
        if not f or f[0] == "QUIT":
            break
        if f[0] == "RUN":
            try:
                t0, t1, cpu = s.run(f[1], f[2], f[3], int(f[4]), int(f[5]),
                                    int(f[6]), int(f[7]))
            except Exception as exc:
                print("ERROR %s" % exc, flush=True)
                return 1
            print("SENT %.6f %.6f %.6f" % (t0, t1, cpu), flush=True)
    s.close()
    return 0


# --------------------------------------------------------------------------
# Process measurements
# --------------------------------------------------------------------------

def proc_cpu(pid):
    """CPU time of a live process: "user" and "sys" in seconds from
    /proc/PID/stat (clock ticks); "cpu" their sum, or, when the kernel has
    it, the main thread's se.sum_exec_runtime from /proc/PID/sched
    (milliseconds to the nanosecond; the receivers and Prosody are
    single-threaded); "wakeups", its voluntary context switches."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is field 3 (state): utime is field 14, stime field 15.
    out = {"user": int(fields[11]) / CLK_TCK, "sys": int(fields[12]) / CLK_TCK,
           "wakeups": float("nan")}
    out["cpu"] = out["user"] + out["sys"]
    try:
        with open("/proc/%d/sched" % pid) as f:
            for line in f:
                k, _, v = line.partition(":")
                k = k.strip()
                if k == "se.sum_exec_runtime":
                    out["cpu"] = float(v) / 1000.0
                elif k == "nr_voluntary_switches":
                    out["wakeups"] = float(v)
    except (OSError, ValueError):
        pass
    return out


def cpu_delta(c0, c1):
    return {k: c1[k] - c0[k] for k in c0}


def proc_mem(pid):
    """{'VmRSS': MB, 'VmHWM': MB} of a live process."""
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                out[k] = int(v.split()[0]) / 1024.0
    return out


def reset_peak(pid):
    """Make VmHWM start again from the current RSS (Linux >= 4.0)."""
    try:
        with open("/proc/%d/clear_refs" % pid, "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def child_pid(ppid, timeout=10):
    """The PID of a child of ppid (the program in a tmux pane runs as the
    child of the pane's sh wrapper, env(1) having exec'd it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % d) as f:
                    st = f.read()
            except OSError:
                continue
            fields = st[st.rindex(")") + 2:].split()
            if int(fields[1]) == ppid:
                with open("/proc/%s/comm" % d) as f:
                    if f.read().strip() != "env":
                        return int(d)
        time.sleep(0.02)
    raise RuntimeError("no child process of %d" % ppid)


class TuiReceiver:
    """The real szia in a private tmux server (80x24)."""

    def __init__(self, name, argv, env):
        self.name = name
        self.t_start = time.monotonic()
        self.tmux = sziatest.Tmux(argv, width=80, height=24, env=env)
        self.pid = child_pid(self.tmux.pane_pid)
        self.proc = None

    def wait_online(self):
        self.tmux.wait_for(r"Connected as ", timeout=30)
        return time.monotonic()

    def stop(self):
        try:
            self.tmux.type("/quit")
            self.tmux.wait_exit(10)
        except (AssertionError, RuntimeError, OSError):
            pass
        self.tmux.stop()


class Receiver:
    """A receiver process with a reader thread on its stdout.  Lines
    starting with W (szia's message lines) are only scanned for `marker`;
    the others are kept with the time they were read."""

    def __init__(self, name, argv, env=None, stdin=False, errpath=None):
        self.name = name
        self.lines = []
        self.marker = None
        self.marker_time = None
        self.wlines = 0
        self._cond = threading.Condition()
        self._eof = False
        self.err = open(errpath or os.devnull, "wb")
        self.t_start = time.monotonic()
        self.proc = subprocess.Popen(
            argv, env=env, stdout=subprocess.PIPE, stderr=self.err,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            start_new_session=True, preexec_fn=sziatest._pdeathsig_preexec)
        self.pid = self.proc.pid
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        fd = self.proc.stdout.fileno()
        rest = b""
        while True:
            try:
                data = os.read(fd, 1 << 16)
            except OSError:
                data = b""
            now = time.monotonic()
            if not data:
                break
            parts = (rest + data).split(b"\n")
            rest = parts.pop()
            keep = []
            marker = self.marker
            hit = False
            for line in parts:
                if line[:1] == b"W":
                    self.wlines += 1
                    if marker is not None and marker in line:
                        hit = True
                elif not line.startswith(b"ROSTER ") or \
                        line.startswith(b"ROSTER END") or \
                        not self.name.startswith("szia"):
                    keep.append((now, line.decode("utf-8", "replace")))
            if keep or hit:
                with self._cond:
                    self.lines.extend(keep)
                    if hit and self.marker_time is None:
                        self.marker_time = now
                    self._cond.notify_all()
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    def wait_line(self, regex, timeout=TIMEOUT, start=0):
        """(time, match, index) of the first kept line from index `start`
        that matches; RuntimeError on timeout or exit."""
        rx = re.compile(regex)
        deadline = time.monotonic() + timeout
        with self._cond:
            i = start
            while True:
                while i < len(self.lines):
                    m = rx.search(self.lines[i][1])
                    if m:
                        return self.lines[i][0], m, i
                    i += 1
                left = deadline - time.monotonic()
                if self._eof or left <= 0:
                    break
                self._cond.wait(left)
            tail = "\n".join(l for _, l in self.lines[-15:])
        raise RuntimeError("%s: no /%s/ (%s):\n%s" % (
            self.name, regex, "exited %s" % self.proc.poll()
            if self._eof else "timeout", tail))

    def wait_marker(self, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        with self._cond:
            while self.marker_time is None:
                left = deadline - time.monotonic()
                if self._eof or left <= 0:
                    raise RuntimeError("%s: last message not shown (%s)"
                                       % (self.name, "exited" if self._eof
                                          else "timeout"))
                self._cond.wait(left)
            return self.marker_time

    def send(self, line):
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def stop(self):
        """Close stdin (szia-headless quits at end of input), SIGTERM
        (the floor), then SIGKILL: by PID only."""
        if self.proc.stdin is not None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        try:
            self.proc.wait(0.5 if self.proc.stdin is not None else 0.01)
        except subprocess.TimeoutExpired:
            sziatest._terminate_pid(self.proc, timeout=5)
        self._reader.join(5)
        self.err.close()


# --------------------------------------------------------------------------
# The world: server, accounts, roster, sender, szia home
# --------------------------------------------------------------------------

def write_big_roster(server, user, n):
    """`n` contacts c00000..: one of 20 groups each, subscription both,
    offline.  Each contact's own roster has `user` (both), so the server's
    presence probes get "unavailable" instead of changing the roster."""
    rdir = os.path.join(server.dir, "data", DOMAIN, "roster")
    os.makedirs(rdir, exist_ok=True)
    me = server.jid(user)
    items = []
    for i in range(n):
        c = "c%05d" % i
        items.append('\t["%s@%s"] = { ["subscription"] = "both"; '
                     '["name"] = "Contact %05d"; '
                     '["groups"] = { ["Group %02d"] = true; }; };\n'
                     % (c, DOMAIN, i, i % 20))
        with open(os.path.join(rdir, c + ".dat"), "w") as f:
            f.write('return {\n\t[false] = { ["version"] = 1; '
                    '["pending"] = {}; };\n\t["%s"] = { ["subscription"] '
                    '= "both"; ["groups"] = {}; };\n};\n' % me)
    with open(os.path.join(rdir, user + ".dat"), "w") as f:
        f.write('return {\n\t[false] = { ["version"] = 1; ["pending"] = {}; '
                '};\n' + "".join(items) + "};\n")
    for name in os.listdir(rdir):
        os.chmod(os.path.join(rdir, name), 0o644)


class BenchProsody(sziatest.Prosody):
    """The harness's server, logging at info level: at debug (the
    harness's default) it writes lines for every stanza, which would make
    the server the bottleneck.  (``Activated service`` is an info line.)"""

    def _write_config(self):
        self.config_extra = "log = { info = %s }" % sziatest._lua_str(
            self.log_path)
        super()._write_config()


def machine():
    model = "?"
    mem = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem = "%.1f GB" % (int(line.split()[1]) / 1048576.0)
                    break
    except OSError:
        pass

    def pkg(name):
        r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", name],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           text=True)
        return r.stdout.strip() or "?"
    return [
        "machine: %d CPUs (%s), %s RAM, Linux %s" % (
            os.cpu_count(), model, mem, os.uname().release),
        "software: Prosody %s, libstrophe %s, SQLite %s, Python %s" % (
            pkg("prosody"), pkg("libstrophe0"), sqlite3.sqlite_version,
            sys.version.split()[0]),
    ]


class Bench:
    def __init__(self, args):
        self.a = args
        self.tmp = None
        self.server = None
        self.home = None
        self.sender = None
        self.receivers = []
        self.extra_floor_args = []      # bench_room.py: --room ROOM/NICK

    # -- setup --------------------------------------------------------------
    def setup(self):
        a = self.a
        say("starting Prosody (without mod_limits, mod_mam, mod_smacks)")
        self.server = BenchProsody(
            domain=DOMAIN, users=dict(USERS),
            modules_exclude=("mam", "smacks"))
        self.server.start()
        self.server.make_friends("tx", "rx")
        write_big_roster(self.server, "many", a.contacts)
        self.home = sziatest.SziaHome()
        self.tmp = self.home.dir
        for acct in ("rx", "many"):
            self.home.write_account(
                acct, jid=self.server.jid(acct), password=USERS[acct],
                server=LOOPBACK, port=self.server.port, tls="starttls",
                tls_fingerprint=self.server.fingerprint, resource=RESOURCE)
        self.sender = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--sender",
             "--port", str(self.server.port), "--user", "tx",
             "--password", USERS["tx"]],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            start_new_session=True, preexec_fn=sziatest._pdeathsig_preexec)
        sziatest._register(self._stop_sender)
        line = self.sender.stdout.readline()
        if not line.startswith("READY"):
            raise RuntimeError("sender: %s" % line.strip())

    def _stop_sender(self):
        if self.sender is not None and self.sender.poll() is None:
            try:
                self.sender.stdin.write("QUIT\n")
                self.sender.stdin.flush()
                self.sender.wait(3)
            except (OSError, subprocess.TimeoutExpired):
                sziatest._terminate_pid(self.sender)

    def close(self):
        self._stop_sender()
        for r in list(self.receivers):
            self.finish(r)
        sziatest.cleanup_all()

    # -- receivers ----------------------------------------------------------
    def start_receiver(self, kind, account, expect=0, fresh=True):
        """Start a receiver for `account`; `fresh`: with an empty log."""
        a = self.a
        jid = self.server.jid(account)
        err = os.path.join(self.tmp, "%s.stderr" % kind)
        if kind in ("szia", "szia-tui"):
            if fresh:
                shutil.rmtree(os.path.join(self.home.data_home, "szia",
                                           account), ignore_errors=True)
            env = self.home.env(SZIA_THEMEDIR=sziatest.szia_themedir())
            if kind == "szia-tui":
                r = TuiReceiver(kind, self.wrap(kind) + [
                    a.szia_tui, "-a", account], env=env)
                self.receivers.append(r)
                return r
            r = Receiver(kind, self.wrap(kind) + [a.szia, "-a", account],
                         env=env, stdin=True, errpath=err)
        else:
            argv = [a.floor, "--jid", jid, "--password", USERS[account],
                    "--host", LOOPBACK, "--port", str(self.server.port),
                    "--resource", RESOURCE]
            if kind == "floor-sqlite":
                db = os.path.join(self.tmp, "floor-%s.db" % account)
                for suffix in ("", "-wal", "-shm"):
                    try:
                        if fresh:
                            os.unlink(db + suffix)
                    except FileNotFoundError:
                        pass
                argv += ["--sqlite", db]
            else:
                argv += ["--count"]
            if expect:
                argv += ["--expect", str(expect)]
            argv += self.extra_floor_args
            r = Receiver(kind, self.wrap(kind) + argv, errpath=err)
        self.receivers.append(r)
        sziatest._register(r)
        return r

    def finish(self, r):
        if not isinstance(r, TuiReceiver):
            sziatest._unregister(r)
        r.stop()
        self.receivers.remove(r)

    def stderr_tails(self):
        """The last lines the receivers wrote on stderr (on failure)."""
        out = []
        for kind in ("floor-count", "floor-sqlite", "szia"):
            path = os.path.join(self.tmp or "", "%s.stderr" % kind)
            if os.path.exists(path):
                tail = sziatest._tail(path, 10).strip()
                if tail:
                    out.append("--- %s stderr ---\n%s" % (kind, tail))
        return "\n".join(out)

    def wait_online(self, r):
        if r.name == "szia-tui":
            return r.wait_online()
        if r.name == "szia":
            return r.wait_line(r"^STATE online", timeout=30)[0]
        return r.wait_line(r"^CONNECTED ", timeout=30)[0]

    # -- the burst ----------------------------------------------------------
    def burst(self, kind, rep):
        a = self.a
        tag = "r%d%s" % (rep, kind[:1] + kind[-1:])
        r = self.start_receiver(kind, "rx", expect=a.messages)
        try:
            self.wait_online(r)
            time.sleep(a.settle)          # roster, presence, first flush
            idle = proc_mem(r.pid)["VmRSS"]
            peak_reset = reset_peak(r.pid)
            if r.name == "szia":
                r.marker = (" %s %06d " % (tag, a.messages)).encode()
            c0 = proc_cpu(r.pid)
            p0 = proc_cpu(self.server.pid)
            ping_to = ("%s/%s" % (self.server.jid("rx"), RESOURCE)
                       if a.ping == "receiver" else DOMAIN)
            perf = self.perf_start(r, "%s-%d" % (kind, rep + 1))
            self.callgrind(r, "-z")
            self.sender.stdin.write("RUN %s %s %s %d %d %d %d\n" % (
                tag, self.server.jid("rx"), ping_to, a.messages, a.size,
                a.window, a.inflight))
            self.sender.stdin.flush()
            if r.name == "szia":
                t_end = r.wait_marker()
            elif r.name == "szia-tui":
                t_end = self.wait_rows("rx", a.messages)
            else:
                t_end = r.wait_line(r"^DONE ")[0]
            c = cpu_delta(c0, proc_cpu(r.pid))
            p = cpu_delta(p0, proc_cpu(self.server.pid))
            mem = proc_mem(r.pid)
            self.perf_stop(perf)
            self.callgrind(r, "-d")
            line = self.sender.stdout.readline().split()
            if not line or line[0] != "SENT":
                raise RuntimeError("sender: %s" % " ".join(line))
            t0, t1, scpu = float(line[1]), float(line[2]), float(line[3])
            rows = a.messages
            if r.name in ("szia", "szia-tui"):
                rows = self.szia_rows("rx")
                if rows != a.messages:
                    raise RuntimeError("szia: %d rows in log.db, want %d"
                                       % (rows, a.messages))
            time.sleep(0.2)
            after = proc_mem(r.pid)["VmRSS"]
        finally:
            self.finish(r)
        return {
            "wall": t_end - t0, "cpu": c["cpu"], "user": c["user"],
            "sys": c["sys"], "wakeups": c["wakeups"], "idle_rss": idle,
            "peak_rss": mem["VmHWM"] if peak_reset else float("nan"),
            "after_rss": after, "send_wall": t1 - t0, "send_cpu": scpu,
            "server_cpu": p["cpu"], "rows": rows,
        }

    def callgrind(self, r, what):
        """--callgrind: zero the counters before the burst, dump after,
        so the profile has the burst only.  callgrind_control is answered
        when the program runs: a driver line wakes szia up."""
        if not self.a.callgrind:
            return
        ctl = subprocess.Popen(["callgrind_control", what, str(r.pid)],
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while ctl.poll() is None and time.monotonic() < deadline:
            if r.proc is not None and r.proc.stdin is not None:
                r.send("!nop")
            time.sleep(0.2)       # the floor wakes up every second
        if ctl.poll() is None:
            sziatest._terminate_pid(ctl)

    def wrap(self, kind):
        """--callgrind, --wrap: the command to run a receiver under."""
        if self.a.callgrind:
            return ["valgrind", "--tool=callgrind",
                    "--callgrind-out-file=%s.%s" % (self.a.callgrind, kind)]
        if self.a.wrap:
            return [w.replace("%k", kind) for w in self.a.wrap.split()]
        return []

    def perf_start(self, r, name):
        """--perf DIR: record the receiver's burst with perf (call
        graphs); the figures of such a run are perturbed."""
        if not self.a.perf:
            return None
        os.makedirs(self.a.perf, exist_ok=True)
        out = os.path.join(self.a.perf, name + ".data")
        proc = subprocess.Popen(
            ["perf", "record", "-q", "-F", "2999", "-g", "-p", str(r.pid),
             "-o", out], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=sziatest._pdeathsig_preexec)
        time.sleep(0.3)               # perf needs a moment to attach
        return proc

    def perf_stop(self, proc):
        if proc is None:
            return
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            sziatest._terminate_pid(proc)

    def wait_rows(self, account, n, timeout=TIMEOUT):
        """Poll log.db every 20 ms until it has n messages; the time."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                if self.szia_rows(account) >= n:
                    return time.monotonic()
            except sqlite3.Error:
                pass                  # not created yet, or busy
            if time.monotonic() > deadline:
                raise RuntimeError("szia-tui: log.db short of %d messages"
                                   % n)
            time.sleep(0.02)

    def szia_rows(self, account):
        db = sqlite3.connect("file:%s?mode=ro" % self.home.logdb(account),
                             uri=True, timeout=5)
        try:
            return db.execute("SELECT count(*) FROM messages").fetchone()[0]
        finally:
            db.close()

    # -- the login with a big roster ----------------------------------------
    def login(self, kind):
        a = self.a
        # Like a user's: the log exists after the first run.
        r = self.start_receiver(kind, "many", fresh=False)
        try:
            t_online = self.wait_online(r)
            if r.name == "szia":
                start = len(r.lines)
                while True:
                    r.send("!roster")
                    t, m, i = r.wait_line(r"^ROSTER END (\d+)", start=start,
                                          timeout=30)
                    start = i + 1
                    if int(m.group(1)) >= a.contacts:
                        break
                    if t - r.t_start > 60:
                        raise RuntimeError("szia: roster incomplete: %s"
                                           % m.group(0))
                    time.sleep(0.002)
                t_roster, n = t, int(m.group(1))
            else:
                t_roster, m, _ = r.wait_line(r"^ROSTER (\d+) ", timeout=60)
                n = int(m.group(1))
            if n != a.contacts:
                raise RuntimeError("%s: %d contacts in the roster, want %d"
                                   % (kind, n, a.contacts))
            time.sleep(1.0)
            c = proc_cpu(r.pid)
            mem = proc_mem(r.pid)
        finally:
            self.finish(r)
        return {"login": t_roster - r.t_start, "online": t_online - r.t_start,
                "cpu": c["cpu"], "rss": mem["VmRSS"], "peak_rss": mem["VmHWM"]}


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def med(runs, key):
    vals = [x[key] for x in runs if x[key] == x[key]]
    return statistics.median(vals) if vals else float("nan")


def ratio(a, b):
    return a / b if b else float("nan")


def verdict(ok):
    return "met" if ok else "MISSED"


def report(a, bursts, logins):
    kinds = ("floor-count", "floor-sqlite", "szia", "szia-tui")
    out = []
    out.append("")
    out.append("szia benchmark")
    out.extend(machine())
    out.append("burst: %d chat messages of %d bytes, windows of %d + ping "
               "to the %s, at most %d in flight; median of %d run(s)"
               % (a.messages, a.size, a.window, a.ping, a.inflight,
                  a.repeat))
    out.append("")
    hdr = "%-13s %7s %7s %7s %6s %6s %7s %8s %8s %8s %8s" % (
        "receiver", "wall s", "msg/s", "cpu s", "user", "sys", "wakeups",
        "idle MB", "peak MB", "srv cpu", "snd cpu")
    out.append(hdr)
    out.append("-" * len(hdr))
    m = {}
    for k in kinds:
        runs = bursts[k]
        m[k] = {key: med(runs, key) for key in runs[0]}
        x = m[k]
        out.append("%-13s %7.3f %7.0f %7.3f %6.2f %6.2f %7.0f %8.1f %8.1f "
                   "%8.2f %8.2f" % (
                       k, x["wall"], a.messages / x["wall"], x["cpu"],
                       x["user"], x["sys"], x["wakeups"], x["idle_rss"],
                       x["peak_rss"], x["server_cpu"], x["send_cpu"]))
    s, fs, fc = m["szia"], m["floor-sqlite"], m["floor-count"]
    out.append("")
    out.append("szia / floor-sqlite: wall %.2fx, cpu %.2fx, peak RSS %.2fx"
               % (ratio(s["wall"], fs["wall"]), ratio(s["cpu"], fs["cpu"]),
                  ratio(s["peak_rss"], fs["peak_rss"])))
    out.append("szia / floor-count:  wall %.2fx, cpu %.2fx, peak RSS %.2fx"
               % (ratio(s["wall"], fc["wall"]), ratio(s["cpu"], fc["cpu"]),
                  ratio(s["peak_rss"], fc["peak_rss"])))
    out.append("per-run szia cpu / floor-sqlite cpu: %s" % ", ".join(
        "%.2f" % ratio(x["cpu"], y["cpu"])
        for x, y in zip(bursts["szia"], bursts["floor-sqlite"])))
    t = m["szia-tui"]
    out.append("szia-tui / floor-sqlite: wall %.2fx, cpu %.2fx, peak RSS "
               "%.2fx (the real szia, drawing in an 80x24 terminal)"
               % (ratio(t["wall"], fs["wall"]), ratio(t["cpu"], fs["cpu"]),
                  ratio(t["peak_rss"], fs["peak_rss"])))

    out.append("")
    kinds = ("floor-count", "floor-sqlite", "szia")
    out.append("login with %d contacts (start -> roster received); median "
               "of %d run(s)" % (a.contacts, a.login_repeat))
    hdr = "%-13s %9s %9s %8s %8s %8s" % (
        "receiver", "login ms", "online ms", "cpu s", "RSS MB", "peak MB")
    out.append(hdr)
    out.append("-" * len(hdr))
    lm = {}
    for k in kinds:
        runs = logins[k]
        lm[k] = {key: med(runs, key) for key in runs[0]}
        x = lm[k]
        out.append("%-13s %9.1f %9.1f %8.3f %8.1f %8.1f" % (
            k, x["login"] * 1000, x["online"] * 1000, x["cpu"], x["rss"],
            x["peak_rss"]))
    ls, lfs, lfc = lm["szia"], lm["floor-sqlite"], lm["floor-count"]
    out.append("")
    out.append("szia / floor-sqlite: login %.2fx, cpu %.2fx, RSS %.2fx" % (
        ratio(ls["login"], lfs["login"]), ratio(ls["cpu"], lfs["cpu"]),
        ratio(ls["rss"], lfs["rss"])))
    out.append("szia / floor-count:  login %.2fx, cpu %.2fx, RSS %.2fx" % (
        ratio(ls["login"], lfc["login"]), ratio(ls["cpu"], lfc["cpu"]),
        ratio(ls["rss"], lfc["rss"])))

    cpu_r = ratio(s["cpu"], fs["cpu"])
    tui_r = ratio(t["cpu"], fs["cpu"])
    login_r = ratio(ls["login"], lfs["login"])
    out.append("")
    out.append("targets (measured, not asserted):")
    out.append("  burst cpu <= %.1fx floor-sqlite: %.2fx  %s (szia-tui "
               "%.2fx  %s)" % (
                   TARGET_CPU_RATIO, cpu_r, verdict(cpu_r <= TARGET_CPU_RATIO),
                   tui_r, verdict(tui_r <= TARGET_CPU_RATIO)))
    out.append("  idle RSS < %.0f MB (szia-tui):   %.1f MB  %s (headless "
               "%.1f MB)" % (
                   TARGET_IDLE_RSS_MB, t["idle_rss"],
                   verdict(t["idle_rss"] < TARGET_IDLE_RSS_MB),
                   s["idle_rss"]))
    out.append("  peak RSS < %.0f MB (szia-tui):   %.1f MB  %s (headless "
               "%.1f MB)" % (
                   TARGET_PEAK_RSS_MB, t["peak_rss"],
                   verdict(t["peak_rss"] < TARGET_PEAK_RSS_MB),
                   s["peak_rss"]))
    out.append("  %d-contact login <= %.1fx floor-sqlite: %.2fx  %s" % (
        a.contacts, TARGET_LOGIN_RATIO, login_r,
        verdict(login_r <= TARGET_LOGIN_RATIO)))
    print("\n".join(out), flush=True)


def find_floor():
    for var in ("SZIA_BUILDDIR", "abs_top_builddir"):
        if os.environ.get(var):
            p = os.path.join(os.environ[var], "tests", "bench", "floor")
            if os.access(p, os.X_OK):
                return p
    for p in (os.path.join(HERE, "floor"),
              os.path.join(os.getcwd(), "tests", "bench", "floor")):
        if os.access(p, os.X_OK):
            return p
    return None


def main():
    ap = argparse.ArgumentParser(
        description="szia's benchmark: a message burst and a big-roster "
        "login against a throwaway Prosody on 127.0.0.1, with a bare "
        "libstrophe receiver as the floor.")
    ap.add_argument("--szia", help="szia-headless (default: the build's)")
    ap.add_argument("--szia-tui", help="szia (default: the build's)")
    ap.add_argument("--floor", help="tests/bench/floor (default: the "
                    "build's)")
    ap.add_argument("--messages", type=int, default=10000)
    ap.add_argument("--size", type=int, default=200,
                    help="message body in bytes")
    ap.add_argument("--window", type=int, default=200)
    ap.add_argument("--inflight", type=int, default=2)
    ap.add_argument("--ping", choices=("receiver", "server"),
                    default="receiver",
                    help="whom the window's ping goes to")
    ap.add_argument("--contacts", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5,
                    help="burst runs per receiver")
    ap.add_argument("--login-repeat", type=int, default=5)
    ap.add_argument("--settle", type=float, default=0.5,
                    help="seconds between login and burst")
    ap.add_argument("--only", choices=("floor-count", "floor-sqlite",
                                       "szia", "szia-tui"), action="append",
                    help="(profiling) run only these receivers' bursts and "
                    "skip the login test")
    ap.add_argument("--perf", metavar="DIR",
                    help="(profiling) perf record each burst's receiver "
                    "into DIR/<receiver>-<run>.data")
    ap.add_argument("--wrap", metavar="CMD",
                    help="(profiling) run the receivers under CMD (%%k: "
                    "the receiver's name), e.g. 'strace -c -o /tmp/%%k'; "
                    "the figures are then CMD's")
    ap.add_argument("--callgrind", metavar="FILE",
                    help="(profiling) run the receivers under callgrind, "
                    "counting the bursts only: FILE.<receiver>.1 (use "
                    "--repeat 1)")
    # The sender process.
    ap.add_argument("--sender", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--user", help=argparse.SUPPRESS)
    ap.add_argument("--password", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.sender:
        return sender_main(a)

    a.szia = a.szia or sziatest.szia_headless_binary()
    a.szia_tui = a.szia_tui or sziatest.szia_binary()
    a.floor = a.floor or find_floor()
    for name, path in (("szia-headless", a.szia), ("szia", a.szia_tui),
                       ("floor", a.floor)):
        if not path or not os.access(path, os.X_OK):
            say("%s not found: build it first (make bench)" % name)
            return 1
    for prog in ("prosody", "prosodyctl", "openssl"):
        if shutil.which(prog) is None:
            say("%s is not installed" % prog)
            return 1
    a.szia, a.floor = os.path.abspath(a.szia), os.path.abspath(a.floor)
    a.szia_tui = os.path.abspath(a.szia_tui)
    if shutil.which("tmux") is None:
        say("tmux is not installed")
        return 1

    t_begin = time.monotonic()
    b = Bench(a)
    kinds = a.only or ["floor-count", "floor-sqlite", "szia", "szia-tui"]
    bursts = {k: [] for k in kinds}
    logins = {k: [] for k in kinds if k != "szia-tui"}
    try:
        b.setup()
        for rep in range(a.repeat):
            for k in kinds:
                x = b.burst(k, rep)
                bursts[k].append(x)
                say("burst %d %-12s wall %.3f s  cpu %.2f s  server cpu "
                    "%.2f s  sender %.3f s / cpu %.2f s  peak %.1f MB" % (
                        rep + 1, k, x["wall"], x["cpu"], x["server_cpu"],
                        x["send_wall"], x["send_cpu"], x["peak_rss"]))
        if not a.only:
            for rep in range(a.login_repeat):
                for k in ("floor-count", "floor-sqlite", "szia"):
                    x = b.login(k)
                    logins[k].append(x)
                    say("login %d %-12s %.1f ms  cpu %.2f s  RSS %.1f MB"
                        % (rep + 1, k, x["login"] * 1000, x["cpu"],
                           x["rss"]))
    except (RuntimeError, OSError, sziatest.PeerError) as exc:
        say("FAILED: %s" % exc)
        tails = b.stderr_tails()
        if tails:
            say(tails)
        b.close()
        return 1
    b.close()
    if a.only:
        for k in kinds:
            say("%s: median wall %.3f s, cpu %.3f s" % (
                k, med(bursts[k], "wall"), med(bursts[k], "cpu")))
    else:
        report(a, bursts, logins)
    say("total %.0f s" % (time.monotonic() - t_begin))
    return 0


if __name__ == "__main__":
    sys.exit(main())
