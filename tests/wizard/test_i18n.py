#!/usr/bin/python3
"""test_i18n - xmpp-setup in Hungarian (LANG=hu_HU.UTF-8).

Runs the built xmpp-setup with the uninstalled catalog
(XMPP_SETUP_LOCALEDIR=<builddir>/po, which `make` fills with
hu/LC_MESSAGES/xmpp-setup.mo): the problems with bad answers and --help
come out in Hungarian, while the files written for good answers are byte
for byte those of an English run (their comments stay English).  Also
checks that po/hu.po is complete: no untranslated or fuzzy message.
Needs the hu_HU.UTF-8 locale (tools/install-deps makes it); fails
without it (skipped with SZIA_ALLOW_SKIP=1).  Standard library only; nothing touches the network.
"""

import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402

GOOD = ["--domain", "example.org", "--ipv4", "203.0.113.10",
        "--admin", "admin@example.org", "--email", "hostmaster@example.org",
        "--turn-secret", "ab" * 32]


def binary():
    path = sziatest._built_program("xmpp-setup", "XMPP_SETUP")
    if path is None:
        sziatest.missing("xmpp-setup (run make; SZIA_BUILDDIR)")
    return path


def srcdir():
    if os.environ.get("SZIA_SRCDIR"):
        return os.environ["SZIA_SRCDIR"]
    return os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "..", "..")


def localedir():
    """The build tree's po/ folder, holding hu/LC_MESSAGES/xmpp-setup.mo."""
    d = os.path.join(os.path.dirname(binary()), "po")
    mo = os.path.join(d, "hu", "LC_MESSAGES", "xmpp-setup.mo")
    if not os.path.isfile(mo):
        raise AssertionError("%s is missing: run make first" % mo)
    return d


def has_hu_locale():
    try:
        out = subprocess.run(["locale", "-a"], capture_output=True,
                             text=True, timeout=30).stdout
    except OSError:
        return False
    names = {line.strip().lower().replace("-", "")
             for line in out.splitlines()}
    return "hu_hu.utf8" in names


def env_for(lang):
    env = dict(os.environ)
    env.pop("LANGUAGE", None)
    env["LANG"] = lang
    env["LC_ALL"] = lang
    env["XMPP_SETUP_LOCALEDIR"] = localedir()
    return env


def run(lang, *args, cwd=None):
    p = subprocess.run([binary()] + list(args), cwd=cwd, env=env_for(lang),
                       stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=60)
    return (p.returncode, p.stdout.decode("utf-8"),
            p.stderr.decode("utf-8"))


def hu(*args, cwd=None):
    return run("hu_HU.UTF-8", *args, cwd=cwd)


def en(*args, cwd=None):
    return run("C.UTF-8", *args, cwd=cwd)


def tmpdir():
    d = tempfile.mkdtemp(prefix="xmpp-setup-i18n.")
    sziatest._register(lambda: shutil.rmtree(d, ignore_errors=True))
    return d


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def setup_module():
    sziatest.require(["locale", "msgfmt"])
    if not has_hu_locale():
        sziatest.missing("the hu_HU.UTF-8 locale (Debian package locales, "
                         "then locale-gen hu_HU.UTF-8)")


def test_bad_answers_in_hungarian():
    d = tmpdir()
    rc, out, err = hu("--yes", "--output", os.path.join(d, "out"),
                      "--ipv4", "10.0.0.1", "--email", "nobody")
    expect(rc == 1, "exit %d: %s" % (rc, err))
    lines = err.splitlines()
    expect(lines and all(l.startswith("xmpp-setup: ") for l in lines), err)
    expect("hiányzó válasz: domain (--domain)" in err, err)
    expect("10.0.0.1 magáncím (10.0.0.0/8), nem nyilvános cím" in err, err)
    expect("'nobody' nem e-mail-cím" in err, err)
    expect("missing answer" not in err, err)
    expect(not os.path.exists(os.path.join(d, "out")), "something written")
    # The same in English, for comparison.
    rc, out, err = en("--yes", "--output", os.path.join(d, "out"),
                      "--ipv4", "10.0.0.1", "--email", "nobody")
    expect(rc == 1 and "missing answer: domain (--domain)" in err, err)


def test_bad_flag_value_in_hungarian():
    rc, out, err = hu("--yes", "--ipv4", "2001:db8::1", *GOOD[:2])
    expect(rc == 1, "exit %d: %s" % (rc, err))
    expect("--ipv4: '2001:db8::1' IPv6-cím, nem IPv4-cím" in err, err)


def test_usage_error_in_hungarian():
    rc, out, err = hu("--print", "nothing")
    expect(rc == 2, "exit %d: %s" % (rc, err))
    expect("'nothing' nem a következők egyike" in err, err)
    expect("Bővebben: 'xmpp-setup --help'." in err, err)


def test_output_errors_in_hungarian():
    """Problems writing the files and looking up records come from the
    wizard's catalog too, not from English text in src/util."""
    d = tmpdir()
    plain = os.path.join(d, "plain")
    with open(plain, "w") as f:
        f.write("x\n")
    rc, out, err = hu("--yes", "--output", os.path.join(plain, "out"), *GOOD)
    expect(rc == 3, "exit %d: %s" % (rc, err))
    expect(err.startswith("xmpp-setup: nem hozható létre: %s/out: "
                          % plain), err)
    expect(len(err.splitlines()) == 1, err)
    expect("cannot" not in err, err)
    out_dir = os.path.join(d, "out")
    os.makedirs(os.path.join(out_dir, "dns.zone"))
    rc, out, err = hu("--yes", "--force", "--output", out_dir, *GOOD)
    expect(rc == 3, "exit %d: %s" % (rc, err))
    expect(err.startswith("xmpp-setup: nem írható: %s/dns.zone: "
                          % out_dir), err)
    expect("cannot" not in err, err)
    rc, out, err = hu("check", "example.org", "--resolver", "bogus")
    expect(rc == 2, "exit %d: %s" % (rc, err))
    expect("xmpp-setup: --resolver: 'bogus' nem IPv4- vagy IPv6-cím" in err,
           err)
    expect("is not" not in err, err)
    port = sziatest.free_port()     # nothing answers there
    rc, out, err = hu("check", "example.org", "--resolver",
                      "127.0.0.1:%d" % port)
    expect(rc == 3, "exit %d: %s %s" % (rc, out, err))
    expect("nincs válasz innen: 127.0.0.1:%d" % port in out, out)
    expect("no answer" not in out, out)


def test_help_in_hungarian():
    rc, out, err = hu("--help")
    expect(rc == 0, "exit %d: %s" % (rc, err))
    expect(out.startswith("használat: xmpp-setup"), out)
    expect("a kiszolgáló nyilvános IPv4-címe [kötelező]" in out, out)
    expect("--domain TARTOMÁNY" in out, out)
    expect("usage:" not in out and "[required]" not in out, out)


def test_files_stay_english():
    d = tmpdir()
    a, b = os.path.join(d, "hu"), os.path.join(d, "en")
    rc, out, err = hu("--yes", "--output", a, *GOOD)
    expect(rc == 0, "hu: exit %d: %s" % (rc, err))
    expect("fájl kiírva ide: %s/:" % a in out, out)
    rc, out, err = en("--yes", "--output", b, *GOOD)
    expect(rc == 0, "en: exit %d: %s" % (rc, err))
    expect("files to %s/:" % b in out, out)
    names = sorted(os.listdir(a))
    expect(names == sorted(os.listdir(b)), "%r / %r" % (names,
                                                       os.listdir(b)))
    expect("answers.ini" in names, names)
    for name in names:
        with open(os.path.join(a, name), "rb") as f:
            got = f.read()
        with open(os.path.join(b, name), "rb") as f:
            want = f.read()
        expect(got == want, "%s differs between the hu and en runs" % name)
    with open(os.path.join(a, "answers.ini"), encoding="utf-8") as f:
        text = f.read()
    expect("# the public IPv4 address of the server\n" in text, text)


def test_catalog_complete():
    po = os.path.join(srcdir(), "po", "hu.po")
    msgfmt = shutil.which("msgfmt")
    p = subprocess.run([msgfmt, "--check", "--statistics", "-o", os.devnull,
                        po], capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, LC_ALL="C.UTF-8"))
    stats = p.stdout + p.stderr
    expect(p.returncode == 0, stats)
    expect("translated message" in stats, stats)
    expect("untranslated" not in stats and "fuzzy" not in stats, stats)


sziatest.main(globals(), requires=(), strict=True)
