#!/usr/bin/python3
"""Functional tests: /sendfile, XEP-0363 HTTP File Upload.

A real Prosody with mod_http_file_share (upload.localhost over HTTPS on a
free 127.0.0.1 port, size limit LIMIT) and a slixmpp peer; szia-headless
uploads with libcurl, verifying the server's certificate against the
file named by upload.cafile (the test certificate).
"""

import os
import re
import ssl
import sys
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402
from sziatest import Headless, Peer, Prosody, SziaHome  # noqa: E402

LIMIT = 200000
NS_OOB = "jabber:x:oob"
server = None


def setup_module():
    global server
    if sziatest.szia_headless_binary() is None:
        sziatest.skip_all("szia-headless not built (SZIA_BUILDDIR)")
    server = Prosody()
    server.upload_limit = LIMIT
    server.start()
    deadline = time.monotonic() + 15
    while not sziatest._tcp_accepts(server.https_port):
        assert time.monotonic() < deadline, "HTTPS port never opened"
        time.sleep(0.1)
    server.make_friends("alice", "bob")


def teardown_module():
    if server is not None:
        server.stop()


def start(srv, cafile=True):
    home = SziaHome()
    home.write_account("alice", "alice@localhost", password="alicepw",
                       port=srv.port, tls_fingerprint=srv.fingerprint)
    szia = Headless(home, account="alice")
    szia.expect(r"^W1 console \| info Connected as (\S+)\.$", 15)
    szia.wait_state("online")
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
