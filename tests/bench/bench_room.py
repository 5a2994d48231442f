#!/usr/bin/python3
"""bench_room.py - the group chat part of szia's benchmark (``make bench``).

    bench_room.py [--szia PATH] [--floor PATH] [--occupants 500]
                  [--messages 5000] [--repeat 5] ...

A room with OCCUPANTS occupants and a burst of MESSAGES group messages.
The room is scripted: an XEP-0114 component on the same throwaway Prosody
(127.0.0.1 only) plays room@rooms.localhost in a process of its own.  When
a receiver's join presence reaches it, it sends the presence flood (every
other occupant, then the receiver's own presence with status 110, then the
subject), exactly what a MUC service sends on join; then, on request, the
messages (type groupchat, from occupants, each with a stanza-id by the
room), in windows of WINDOW messages followed by an XEP-0199 ping from the
room to the receiver, at most INFLIGHT windows unanswered, as bench.py's
sender does.  A real MUC service would also copy every message to the 500
other occupants, which only measures the server; the scripted room keeps
the server's share small and equal for every receiver.

Receivers, one after the other, REPEAT rounds: floor-count and floor-sqlite
(tests/bench/floor.c with --room: bare libstrophe, counting or logging to
SQLite the way szia does) and szia (szia-headless, /join).  Reported, each
as a median and szia's also as ratios to the floors:

  join     from the room's first flood presence until the receiver has
           joined (floor: its JOINED line after the 110 presence; szia:
           the window's line saying it joined, which szia-headless prints
           after the loop turn that handled the flood) and its CPU
  burst    wall time from the first message until the last one is logged
           (floor: DONE after the commit; szia: the last message's line),
           CPU over the burst, and the peak RSS over join and burst
           (VmHWM, reset after login)

Targets (measured, not asserted): burst CPU at most 1.5x floor-sqlite's,
join at most 1.2x floor-sqlite's, peak RSS under 20 MB.
"""

import argparse
import hashlib
import os
import re
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, HERE)
import sziatest  # noqa: E402
import bench  # noqa: E402

LOOPBACK = sziatest.LOOPBACK
DOMAIN = bench.DOMAIN
ROOMS = "rooms." + DOMAIN
ROOM = "bench@" + ROOMS
NICK = "rx"
SECRET = "bench-component-secret"
USERS = {"rx": "rxpw-bench"}
RESOURCE = bench.RESOURCE
TIMEOUT = bench.TIMEOUT

TARGET_CPU_RATIO = 1.5
TARGET_JOIN_RATIO = 1.2
TARGET_PEAK_RSS_MB = 20.0

# szia-headless prints this in the room's window once the join is done.
SZIA_JOINED = "You joined %s as " % ROOM

say = bench.say


# --------------------------------------------------------------------------
# The scripted room: an XEP-0114 component (bench_room.py --room-sim)
# --------------------------------------------------------------------------

def xml_escape(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace("'", "&apos;"))


class RoomSim:
    """Connects to Prosody's component port as ROOMS and plays ROOM."""

    JOIN = re.compile(rb"<presence\b[^>]*>")
    ATTR = re.compile(rb"""\b(from|to|type|id)=['"]([^'"]*)['"]""")
    IQ = re.compile(rb"(<iq\b[^>]*?)(?:/>|>.*?</iq>)", re.S)

    def __init__(self, port):
        self.port = port
        self.sock = None
        self.buf = b""
        self.acked = set()

    def _recv(self):
        data = self.sock.recv(1 << 16)
        if not data:
            raise RuntimeError("room: server closed the stream")
        self.buf += data

    def connect(self):
        self.sock = socket.create_connection((LOOPBACK, self.port), 10)
        self.sock.sendall((
            "<?xml version='1.0'?><stream:stream to='%s' "
            "xmlns='jabber:component:accept' "
            "xmlns:stream='http://etherx.jabber.org/streams'>" % ROOMS
        ).encode())
        while True:
            m = re.search(rb"<stream:stream\b[^>]*\bid=['\"]([^'\"]+)",
                          self.buf)
            if m:
                break
            self._recv()
        digest = hashlib.sha1(m.group(1) + SECRET.encode()).hexdigest()
        self.buf = b""
        self.sock.sendall(b"<handshake>%s</handshake>" % digest.encode())
        while b"<handshake" not in self.buf:
            if b"<stream:error" in self.buf:
                raise RuntimeError("room: handshake refused: %r" % self.buf)
            self._recv()
        self.buf = b""
        self.sock.settimeout(None)

    def _attrs(self, tag):
        return {k.decode(): v.decode() for k, v in self.ATTR.findall(tag)}

    def _pump(self):
        """Handle every complete IQ in the buffer: pings to the room are
        answered, other requests (disco, MAM, ...) get
        service-unavailable, results of our own pings are noted."""
        last = 0
        for m in self.IQ.finditer(self.buf):
            a = self._attrs(m.group(1))
            last = m.end()
            if a.get("type") in ("result", "error"):
                self.acked.add(a.get("id", ""))
                continue
            if a.get("type") not in ("get", "set"):
                continue
            frm, to = xml_escape(a.get("from", "")), xml_escape(
                a.get("to", ROOM))
            iq_id = xml_escape(a.get("id", ""))
            if b"urn:xmpp:ping" in m.group(0):
                reply = "<iq type='result' from='%s' to='%s' id='%s'/>" % (
                    to, frm, iq_id)
            else:
                reply = ("<iq type='error' from='%s' to='%s' id='%s'>"
                         "<error type='cancel'><service-unavailable "
                         "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
                         "</error></iq>" % (to, frm, iq_id))
            self.sock.sendall(reply.encode())
        if last:
            self.buf = self.buf[last:]
        elif len(self.buf) > (1 << 20):
            self.buf = self.buf[-4096:]

    def wait_join(self):
        """Wait for a join presence to ROOM/NICK; return the sender's
        full JID and the occupant JID it asked for."""
        while True:
            for m in self.JOIN.finditer(self.buf):
                a = self._attrs(m.group(0))
                if a.get("to", "").startswith(ROOM + "/") and \
                        a.get("type") is None:
                    self.buf = self.buf[m.end():]
                    return a["from"], a["to"]
            self._pump()
            self._recv()

    def flood(self, occupants, to, own):
        """The join: every other occupant, us (110), the subject."""
        out = []
        for i in range(occupants - 1):
            role, aff = (("moderator", "owner") if i < 3 else
                         ("participant", "member") if i < 100 else
                         ("visitor", "none") if i >= occupants - 20 else
                         ("participant", "none"))
            show = ("<show>away</show>" if i % 7 == 0 else
                    "<show>dnd</show><status>busy</status>" if i % 11 == 0
                    else "")
            out.append(
                "<presence from='%s/bot%04d' to='%s'>%s"
                "<x xmlns='http://jabber.org/protocol/muc#user'>"
                "<item affiliation='%s' role='%s'/></x></presence>"
                % (ROOM, i, xml_escape(to), show, aff, role))
        out.append(
            "<presence from='%s' to='%s'>"
            "<x xmlns='http://jabber.org/protocol/muc#user'>"
            "<item affiliation='member' role='participant' jid='%s'/>"
            "<status code='110'/></x></presence>"
            % (xml_escape(own), xml_escape(to), xml_escape(to)))
        out.append(
            "<message type='groupchat' from='%s' to='%s' id='subj'>"
            "<subject>The benchmark room</subject></message>"
            % (ROOM, xml_escape(to)))
        data = "".join(out).encode()
        t0 = time.monotonic()
        self.sock.sendall(data)
        return t0

    def run(self, tag, to, n, size, window, inflight, occupants):
        """Send n messages to `to` in pinged windows."""
        t0 = time.monotonic()
        c0 = os.times()
        pending = []
        sent = 0
        w = 0
        while sent < n:
            k = min(window, n - sent)
            parts = []
            for i in range(sent + 1, sent + k + 1):
                body = bench.make_body(tag, i, size)
                parts.append(
                    "<message type='groupchat' from='%s/bot%04d' to='%s' "
                    "id='%s-%d'><body>%s</body><stanza-id "
                    "xmlns='urn:xmpp:sid:0' id='sid-%s-%d' by='%s'/>"
                    "</message>" % (ROOM, i % max(occupants - 1, 1),
                                    xml_escape(to), tag, i, body, tag, i,
                                    ROOM))
            ping = "bp-%s-%d" % (tag, w)
            parts.append("<iq type='get' from='%s' to='%s' id='%s'>"
                         "<ping xmlns='urn:xmpp:ping'/></iq>"
                         % (ROOM, xml_escape(to), ping))
            self.sock.sendall("".join(parts).encode())
            pending.append(ping)
            sent += k
            w += 1
            while len(pending) >= inflight:
                self._wait_oldest(pending)
        while pending:
            self._wait_oldest(pending)
        t1 = time.monotonic()
        c1 = os.times()
        return t0, t1, (c1.user - c0.user) + (c1.system - c0.system)

    def _wait_oldest(self, pending):
        """Wait until the oldest window's ping is answered."""
        while True:
            self._pump()
            if pending[0] in self.acked:
                self.acked.discard(pending.pop(0))
                return
            self._recv()


def room_main(a):
    sim = RoomSim(a.port)
    sim.connect()
    print("READY", flush=True)
    for line in sys.stdin:
        w = line.split()
        if not w:
            continue
        if w[0] == "QUIT":
            break
        if w[0] == "JOIN":
            frm, own = sim.wait_join()
            t0 = sim.flood(int(w[1]), frm, own)
            print("FLOOD %s %.6f" % (frm, t0), flush=True)
        elif w[0] == "RUN":
            tag, to = w[1], w[2]
            n, size, window, inflight, occ = map(int, w[3:8])
            t0, t1, cpu = sim.run(tag, to, n, size, window, inflight, occ)
            print("SENT %.6f %.6f %.3f" % (t0, t1, cpu), flush=True)
    return 0


# --------------------------------------------------------------------------
# The world and the runs
# --------------------------------------------------------------------------

class RoomProsody(bench.BenchProsody):
    """bench.py's server plus a component port on 127.0.0.1 for ROOMS."""

    def _write_config(self):
        self.component_port = sziatest.free_port()
        sziatest.Prosody._write_config(self)
        with open(self.config_path) as f:
            text = f.read()
        glob = ("log = { info = %s }\ncomponent_ports = { %d }\n"
                "component_interfaces = { \"%s\" }\n" % (
                    sziatest._lua_str(self.log_path), self.component_port,
                    LOOPBACK))
        first_host = text.index("VirtualHost ")
        text = (text[:first_host] + glob + "\n" + text[first_host:] +
                "\nComponent %s\n    component_secret = %s\n" % (
                    sziatest._lua_str(ROOMS), sziatest._lua_str(SECRET)))
        with open(self.config_path, "w") as f:
            f.write(text)


class RoomBench(bench.Bench):
    def setup(self):
        say("starting Prosody (without mod_limits, mod_mam, mod_smacks) "
            "and the scripted room")
        self.server = RoomProsody(domain=DOMAIN, users=dict(USERS),
                                  modules_exclude=("mam", "smacks"))
        self.server.start()
        self.home = sziatest.SziaHome()
        self.tmp = self.home.dir
        self.home.write_account(
            "rx", jid=self.server.jid("rx"), password=USERS["rx"],
            server=LOOPBACK, port=self.server.port, tls="starttls",
            tls_fingerprint=self.server.fingerprint, resource=RESOURCE)
        self.sender = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--room-sim",
             "--port", str(self.server.component_port)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            start_new_session=True, preexec_fn=sziatest._pdeathsig_preexec)
        sziatest._register(self._stop_sender)
        line = self.sender.stdout.readline()
        if not line.startswith("READY"):
            raise RuntimeError("room: %s" % line.strip())

    def room_round(self, kind, rep):
        a = self.a
        tag = "g%d%s" % (rep, kind[:1] + kind[-1:])
        if kind != "szia":
            self.extra_floor_args = ["--room", "%s/%s" % (ROOM, NICK)]
        r = self.start_receiver(kind, "rx", expect=a.messages)
        try:
            self.wait_online(r)
            time.sleep(a.settle)
            peak_reset = bench.reset_peak(r.pid)
            self.sender.stdin.write("JOIN %d\n" % a.occupants)
            self.sender.stdin.flush()
            c0 = bench.proc_cpu(r.pid)
            if kind == "szia":
                # Message lines are only scanned for the marker.
                r.marker = SZIA_JOINED.encode()
                r.marker_time = None
                r.send("/join %s/%s" % (ROOM, NICK))
            line = self.sender.stdout.readline().split()
            if not line or line[0] != "FLOOD":
                raise RuntimeError("room: %s" % " ".join(line))
            full, t_flood = line[1], float(line[2])
            if kind == "szia":
                t_joined = r.wait_marker()
                r.marker_time = None
            else:
                t_joined, m, _ = r.wait_line(r"^JOINED (\d+) ")
                if int(m.group(1)) != a.occupants:
                    raise RuntimeError("%s: %s occupants, want %d" % (
                        kind, m.group(1), a.occupants))
            time.sleep(0.3)
            c1 = bench.proc_cpu(r.pid)
            if r.name == "szia":
                r.marker = (" %s %06d " % (tag, a.messages)).encode()
            self.sender.stdin.write("RUN %s %s %d %d %d %d %d\n" % (
                tag, full, a.messages, a.size, a.window, a.inflight,
                a.occupants))
            self.sender.stdin.flush()
            if r.name == "szia":
                t_end = r.wait_marker()
            else:
                t_end = r.wait_line(r"^DONE ")[0]
            c2 = bench.proc_cpu(r.pid)
            mem = bench.proc_mem(r.pid)
            line = self.sender.stdout.readline().split()
            if not line or line[0] != "SENT":
                raise RuntimeError("room: %s" % " ".join(line))
            t0 = float(line[1])
            if r.name == "szia":
                rows = self.szia_room_rows("rx")
                if rows != a.messages:
                    raise RuntimeError("szia: %d room rows in log.db, "
                                       "want %d" % (rows, a.messages))
        finally:
            self.finish(r)
            self.extra_floor_args = []
        return {
            "join": t_joined - t_flood,
            "join_cpu": bench.cpu_delta(c0, c1)["cpu"],
            "wall": t_end - t0,
            "cpu": bench.cpu_delta(c1, c2)["cpu"],
            "peak_rss": mem["VmHWM"] if peak_reset else float("nan"),
        }

    def szia_room_rows(self, account):
        import sqlite3
        db = sqlite3.connect("file:%s?mode=ro" % self.home.logdb(account),
                             uri=True, timeout=5)
        try:
            return db.execute("SELECT count(*) FROM messages WHERE peer = ?",
                              (ROOM,)).fetchone()[0]
        finally:
            db.close()


def report(a, runs):
    kinds = [k for k in ("floor-count", "floor-sqlite", "szia") if runs[k]]
    out = ["", "szia benchmark: group chat"]
    out.extend(bench.machine())
    out.append("a room of %d occupants (scripted, XEP-0114), then %d group "
               "messages of %d bytes in windows of %d + ping, at most %d "
               "in flight; median of %d run(s)" % (
                   a.occupants, a.messages, a.size, a.window, a.inflight,
                   a.repeat))
    out.append("")
    hdr = "%-13s %9s %9s %8s %8s %8s %8s" % (
        "receiver", "join ms", "join cpu", "wall s", "msg/s", "cpu s",
        "peak MB")
    out.append(hdr)
    out.append("-" * len(hdr))
    m = {}
    for k in kinds:
        m[k] = {key: bench.med(runs[k], key) for key in runs[k][0]}
        x = m[k]
        out.append("%-13s %9.1f %9.3f %8.3f %8.0f %8.3f %8.1f" % (
            k, x["join"] * 1000, x["join_cpu"], x["wall"],
            a.messages / x["wall"], x["cpu"], x["peak_rss"]))
    if "szia" in m and "floor-sqlite" in m:
        s, fs = m["szia"], m["floor-sqlite"]
        cpu_r = bench.ratio(s["cpu"], fs["cpu"])
        join_r = bench.ratio(s["join"], fs["join"])
        out.append("")
        out.append("szia / floor-sqlite: join %.2fx, join cpu %.2fx, "
                   "wall %.2fx, cpu %.2fx, peak RSS %.2fx" % (
                       join_r, bench.ratio(s["join_cpu"], fs["join_cpu"]),
                       bench.ratio(s["wall"], fs["wall"]), cpu_r,
                       bench.ratio(s["peak_rss"], fs["peak_rss"])))
        out.append("")
        out.append("targets (measured, not asserted):")
        out.append("  burst cpu <= %.1fx floor-sqlite: %.2fx  %s" % (
            TARGET_CPU_RATIO, cpu_r, bench.verdict(cpu_r <=
                                                   TARGET_CPU_RATIO)))
        out.append("  join <= %.1fx floor-sqlite:      %.2fx  %s" % (
            TARGET_JOIN_RATIO, join_r, bench.verdict(join_r <=
                                                     TARGET_JOIN_RATIO)))
        out.append("  peak RSS < %.0f MB:              %.1f MB  %s" % (
            TARGET_PEAK_RSS_MB, s["peak_rss"],
            bench.verdict(s["peak_rss"] < TARGET_PEAK_RSS_MB)))
    print("\n".join(out), flush=True)


def main():
    ap = argparse.ArgumentParser(
        description="szia's group chat benchmark: joining a %d-occupant "
        "room and a burst of group messages, against a bare libstrophe "
        "floor.")
    ap.add_argument("--szia", help="szia-headless (default: the build's)")
    ap.add_argument("--floor", help="tests/bench/floor")
    ap.add_argument("--occupants", type=int, default=500)
    ap.add_argument("--messages", type=int, default=5000)
    ap.add_argument("--size", type=int, default=200)
    ap.add_argument("--window", type=int, default=200)
    ap.add_argument("--inflight", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--settle", type=float, default=0.5)
    ap.add_argument("--only", action="append",
                    choices=("floor-count", "floor-sqlite", "szia"))
    ap.add_argument("--room-sim", action="store_true",
                    help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.room_sim:
        return room_main(a)
    # bench.Bench reads these.
    a.perf = a.wrap = a.callgrind = None
    a.szia = os.path.abspath(a.szia or sziatest.szia_headless_binary())
    a.floor = a.floor or bench.find_floor()
    if not a.floor:
        say("floor not found: build it first (make bench)")
        return 1
    a.floor = os.path.abspath(a.floor)
    t_begin = time.monotonic()
    b = RoomBench(a)
    kinds = a.only or ["floor-count", "floor-sqlite", "szia"]
    runs = {k: [] for k in ("floor-count", "floor-sqlite", "szia")}
    try:
        b.setup()
        for rep in range(a.repeat):
            for k in kinds:
                x = b.room_round(k, rep)
                runs[k].append(x)
                say("room %d %-12s join %.1f ms (cpu %.3f s)  burst wall "
                    "%.3f s  cpu %.3f s  peak %.1f MB" % (
                        rep + 1, k, x["join"] * 1000, x["join_cpu"],
                        x["wall"], x["cpu"], x["peak_rss"]))
    except (RuntimeError, OSError) as exc:
        say("FAILED: %s" % exc)
        tails = b.stderr_tails()
        if tails:
            say(tails)
        b.close()
        return 1
    b.close()
    report(a, runs)
    say("total %.0f s" % (time.monotonic() - t_begin))
    return 0


if __name__ == "__main__":
    sys.exit(main())
