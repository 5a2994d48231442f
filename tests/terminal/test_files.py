#!/usr/bin/python3
"""Terminal tests for files and accounts: the real szia in tmux.

/sendfile shows one progress line that ends at 100% and then the link;
/account password and /register ask without echo.
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402
from sziatest import Prosody  # noqa: E402
from tuitest import need_szia, quit, settle, status_bar, szia  # noqa: E402

server = None


def setup_module():
    global server
    need_szia()
    server = Prosody(users={"alice": "alicepw", "bob": "bobpw",
                            "pat": "patpw"},
                     config_extra="allow_registration = true")
    server.upload_limit = 5000000
    server.start()
    deadline = time.monotonic() + 15
    while not sziatest._tcp_accepts(server.https_port):
        assert time.monotonic() < deadline, "HTTPS port never opened"
        time.sleep(0.1)


def teardown_module():
    if server is not None:
        server.stop()


def start(user, width=100, srv=None):
    srv = srv or server
    home = srv.account_home(user)
    t = szia(home, user, width=width)
    t.wait_for(r"Connected as %s@localhost/" % user)
    return home, t


def test_sendfile_progress_and_link_on_screen():
    home, t = start("alice", width=160)   # the URL on one row
    path = os.path.join(home.dir, "photo.jpg")
    with open(path, "wb") as f:
        f.write(os.urandom(3000000))
    t.type("/msg bob@localhost")
    t.type("/set upload.cafile %s" % server.cert_path)
    t.type("/sendfile %s" % path)
    screen = t.wait_for(r"Uploaded photo\.jpg \(3000000 bytes\): 100%", 30)
    t.wait_for(r"https://localhost:%d/\S+/photo\.jpg" % server.https_port,
               15)
    screen = t.capture()
    # One progress line, updated in place: not a line per chunk.
    assert screen.count("photo.jpg (3000000 bytes)") == 1, screen
    assert "Uploading photo.jpg" not in screen, screen
    quit(t)


def test_status_bar_shows_uploads_and_cancel():
    """The status bar says "[up N%]" while an upload runs (here its PUT
    waits for the HTTP server's answer); /sendfile cancel ends it."""
    srv = Prosody(users={"alice": "alicepw", "bob": "bobpw"})
    srv.upload_limit = 5000000
    gated = sziatest.gated_put()
    with sziatest.put_elsewhere(gated, srv):
        try:
            home, t = start("alice", width=120, srv=srv)
            path = os.path.join(home.dir, "clip.bin")
            with open(path, "wb") as f:
                f.write(os.urandom(200000))
            t.type("/msg bob@localhost")
            t.type("/set upload.cafile %s" % srv.cert_path)
            t.type("/sendfile %s" % path)
            assert gated.got.wait(30), "no PUT arrived"
            screen = t.wait_for(r"\] \[up 100%\] \[1 ", 15)
            assert "Uploading clip.bin (200000 bytes): 100%" in screen, screen
            t.type("/sendfile cancel")
            t.wait_for(r"Upload of clip\.bin cancelled\.", 10)

            def no_upload(s):
                assert "[up " not in status_bar(s, 30), status_bar(s, 30)
            settle(t, no_upload)
            quit(t)
        finally:
            gated.gate.set()


def test_password_prompts_do_not_echo():
    home, t = start("pat")
    t.type("/account password")
    t.wait_for(r"New password for pat@localhost:")
    t.type("Zq9-secret")
    t.wait_for(r"Repeat the new password:")
    assert "Zq9-secret" not in t.capture()
    t.type("Zq9-secret")
    t.wait_for(r"Password changed on the server and in the accounts file")
    assert "Zq9-secret" not in t.capture()
    t.type("/register fresh@localhost")
    t.wait_for(r"Password for the new account fresh@localhost:")
    t.type("Fr3sh-pw")
    t.wait_for(r"Repeat the password:")
    t.type("Fr3sh-pw")
    t.wait_for(r"Account fresh \(fresh@localhost\) saved", 20)
    assert "Fr3sh-pw" not in t.capture()
    quit(t)


sziatest.main(globals())
