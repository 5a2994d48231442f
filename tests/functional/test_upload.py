#!/usr/bin/python3
"""Functional tests: /sendfile, XEP-0363 HTTP File Upload.

A real Prosody with mod_http_file_share (upload.localhost over HTTPS on a
free 127.0.0.1 port, size limit LIMIT) and a slixmpp peer; szia-headless
uploads with libcurl, verifying the server's certificate against the
file named by upload.cafile (the test certificate).
"""

import http.server
import os
import ssl
import sys
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402
from sziatest import Peer, Prosody  # noqa: E402

LIMIT = 200000
NS_OOB = "jabber:x:oob"
server = None


def setup_module():
    global server
    sziatest.need_headless()
    server = upload_server()
    server.start()
    wait_https(server)
    server.make_friends("alice", "bob")


def teardown_module():
    if server is not None:
        server.stop()


def upload_server(limit=LIMIT, options=()):
    """A Prosody with the upload component (not yet started)."""
    srv = Prosody()
    srv.upload_limit = limit
    srv.upload_options = list(options)
    return srv


def wait_https(srv):
    sziatest.poll(lambda: sziatest._tcp_accepts(srv.https_port), bool,
                  "open HTTPS port", 15)


def start(srv, cafile=True):
    home, szia, _ = srv.login("alice")
    if cafile:
        szia.send("/set upload.cafile %s" % srv.cert_path)
    szia.send("/msg bob@localhost")
    return home, szia


def make_file(home, name, size):
    path = os.path.join(home.dir, name)
    data = bytes((i * 7 + 3) % 256 for i in range(size))
    with open(path, "wb") as f:
        f.write(data)
    return path, data


def slots_issued():
    return server._log_since_spawn().count("Issuing upload slot")


def test_upload_reaches_peer():
    """The file is PUT, the peer gets the URL as body and as OOB, and a GET
    of that URL returns the same bytes."""
    home, szia = start(server)
    path, data = make_file(home, "cat picture.png", 50000)
    with Peer("bob@localhost", "bobpw", server.port) as bob:
        szia.send("/sendfile %s" % path)
        m = szia.expect(r"^W2 bob@localhost \| out (?:me: )?(https://\S+)$",
                        30)
        url = m.group(1)
        assert url.startswith("https://localhost:%d/" % server.https_port)
        msg = bob.wait_message(lambda d: d["body"] == url, timeout=15)
        assert ("<x xmlns=\"%s\"><url>%s</url></x>" % (NS_OOB, url)
                in msg["raw"]), msg["raw"]
    ctx = ssl.create_default_context(cafile=server.cert_path)
    with urllib.request.urlopen(url, context=ctx, timeout=15) as r:
        assert r.read() == data
    dump = szia.dump()
    assert any("Uploaded cat picture.png (50000 bytes): 100%" in l
               for l in dump), dump
    szia.quit()


def test_oversize_refused_before_slot():
    home, szia = start(server)
    path, _ = make_file(home, "big.bin", LIMIT + 1)
    before = slots_issued()
    szia.send("/sendfile %s" % path)
    szia.expect(r"^W2 bob@localhost \| error Upload of big.bin failed: the "
                r"file is too large: %d bytes, the server accepts at most "
                r"%d$" % (LIMIT + 1, LIMIT), 15)
    # A good file afterwards is uploaded: the service was cached, and the
    # refused one never asked for a slot.
    small, _ = make_file(home, "small.txt", 10)
    szia.send("/sendfile %s" % small)
    szia.expect(r"^W2 bob@localhost \| out (?:me: )?https://\S+small.txt$",
                30)
    assert slots_issued() == before + 1
    szia.quit()


def test_missing_file():
    home, szia = start(server)
    szia.send("/sendfile /nonexistent/nothing.png")
    szia.expect(r"^W2 bob@localhost \| error /sendfile: cannot read "
                r"/nonexistent/nothing.png: No such file or directory\.$", 10)
    szia.send("/sendfile %s" % os.path.dirname(home.accounts_path))
    szia.expect(r"^W2 bob@localhost \| error /sendfile: .* is not a "
                r"regular file\.$", 10)
    szia.quit()


def test_untrusted_certificate_refused():
    """Without upload.cafile the self-signed certificate is not trusted:
    the upload fails with one line, verification is never skipped."""
    home, szia = start(server, cafile=False)
    path, _ = make_file(home, "x.txt", 100)
    szia.send("/sendfile %s" % path)
    szia.expect(r"^W2 bob@localhost \| error Upload of x.txt failed: HTTP "
                r"upload failed: .*certificate.*$", 30)
    szia.quit()


def test_slot_refused_with_server_text():
    """The component only takes PNGs: a .txt gets the server's words."""
    srv = upload_server(options=[
        'http_file_share_allowed_file_types = { "image/png" }'])
    with srv:
        wait_https(srv)
        home, szia = start(srv)
        path, _ = make_file(home, "notes.txt", 10)
        szia.send("/sendfile %s" % path)
        szia.expect(r"^W2 bob@localhost \| error Upload of notes.txt "
                    r"failed: the server refused a slot: File type not "
                    r"allowed$", 15)
        szia.quit()


def put_elsewhere(handler):
    """sziatest.put_elsewhere() with this file's users and limit."""
    return sziatest.put_elsewhere(handler, upload_server())


class _RefusingPut(http.server.BaseHTTPRequestHandler):
    """An HTTPS upload endpoint that reads the body and answers 403."""
    puts = []

    def do_PUT(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        _RefusingPut.puts.append((self.path, dict(self.headers), body))
        self.send_response(403)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_http_failure_reports_status():
    """Slots point to an external HTTPS server (http_file_share_base_url)
    that refuses the PUT: one line with the status code; the PUT carried
    the slot's Authorization header and the file."""
    with put_elsewhere(_RefusingPut) as (srv, port):
        home, szia = start(srv)
        path, data = make_file(home, "doc.pdf", 1000)
        szia.send("/sendfile %s" % path)
        szia.expect(r"^W2 bob@localhost \| error Upload of doc.pdf "
                    r"failed: HTTP upload failed: the server answered "
                    r"403$", 30)
        szia.quit()
    assert len(_RefusingPut.puts) == 1
    path, headers, body = _RefusingPut.puts[0]
    assert path.startswith("/up/") and path.endswith("/doc.pdf"), path
    assert body == data
    assert headers.get("Authorization", "").startswith("Bearer "), headers
    assert headers.get("Content-Type") == "application/pdf", headers


_GatedPut = sziatest.gated_put()


def test_client_stays_live_during_upload():
    """While the PUT waits for the HTTP server's answer, szia still runs
    commands (a blocking transfer would deadlock here: the answer only
    comes after /help's output is seen); then the link is sent."""
    with put_elsewhere(_GatedPut) as (srv, port):
        try:
            home, szia = start(srv)
            path, _ = make_file(home, "live.png", 5000)
            szia.send("/sendfile %s" % path)
            assert _GatedPut.got.wait(30), "no PUT arrived"
            szia.send("/help sendfile")
            szia.expect(r"^W2 bob@localhost \| info .*/sendfile PATH", 10)
            _GatedPut.gate.set()
            szia.expect(r"^W2 bob@localhost \| out (?:me: )?"
                        r"https://localhost:%d/up/\S+/live.png$" % port, 30)
            szia.quit()
        finally:
            _GatedPut.gate.set()


_GatedPut2 = sziatest.gated_put()


def test_cancel_stops_a_running_upload():
    """/sendfile cancel while the PUT is in flight: one line says so, the
    transfer is dropped and no link is ever sent, even once the HTTP
    server answers."""
    with put_elsewhere(_GatedPut2) as (srv, port):
        try:
            home, szia = start(srv)
            szia.send("/sendfile cancel")
            szia.expect(r"^W2 bob@localhost \| error /sendfile cancel: no "
                        r"upload is running in this window\.$")
            path, _ = make_file(home, "big.bin", 5000)
            szia.send("/sendfile %s" % path)
            assert _GatedPut2.got.wait(30), "no PUT arrived"
            assert port in sziatest.tcp_peers(szia.pid)
            szia.send("/sendfile cancel")
            szia.expect(r"^W2 bob@localhost \| info Upload of big.bin "
                        r"cancelled\.$")
            # The transfer itself is dropped, not only forgotten.
            sziatest.poll(lambda: sziatest.tcp_peers(szia.pid),
                          lambda p: port not in p, "PUT connection closed")
            _GatedPut2.gate.set()
            szia.expect_none(r"https://|Uploaded|failed", 2.0)
            lines = szia._driver("!marks", r"^MARKS END$", 10)
            assert any(l.endswith("Upload of big.bin (5000 bytes) "
                                  "cancelled") for l in lines), lines
            szia.quit()
        finally:
            _GatedPut2.gate.set()


def test_no_upload_service():
    with Prosody(users={"alice": "alicepw", "bob": "bobpw"}) as plain:
        home, szia = start(plain)
        path, _ = make_file(home, "a.txt", 10)
        szia.send("/sendfile %s" % path)
        szia.expect(r"^W2 bob@localhost \| error Upload of a.txt failed: "
                    r"localhost offers no HTTP file upload service "
                    r"\(XEP-0363\)$", 15)
        szia.quit()


sziatest.main(globals())
