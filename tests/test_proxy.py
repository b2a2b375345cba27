"""The reverse proxy of docker-compose.yml, for real: Debian's Caddy running deploy/Caddyfile in
front of a real gunicorn with sync workers, on free ports.

Before the proxy, four clients sending their bodies one byte a second held every gunicorn worker
and /healthz timed out; `test_slow_clients_hold_every_bare_gunicorn_worker` shows that still
happens without the proxy, and `test_slow_clients_do_not_block_healthz_behind_the_proxy` that
it does not through it."""

import gzip
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CADDY = shutil.which("caddy")
GUNICORN = Path(sys.executable).with_name("gunicorn")
WORKERS = 2
# The Caddyfile's pattern for a Content-Length over its 32 MB cap.
CADDY_TOO_LARGE = re.search(
    r"header_regexp Content-Length \^(.+)\$", (ROOT / "deploy" / "Caddyfile").read_text()
).group(1)
SLOW_CLIENTS = 4

pytestmark = pytest.mark.skipif(
    CADDY is None and not os.environ.get("CI"),
    reason="Caddy is not installed (make system-packages)",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {port}")


def stop(process: subprocess.Popen):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start_gunicorn(folder: Path, port: int) -> subprocess.Popen:
    """gunicorn with WORKERS sync workers on the tracker, its state under `folder`; returns once
    every worker has loaded the application (a loaded machine takes seconds for that)."""
    env = {
        **os.environ,
        "DEBUG": "true",
        "VAR_DIR": str(folder / "var"),
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CELERY_BROKER_URL": "",
        "REDIS_URL": "",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "tracker.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--timeout",
            "120",
            "--forwarded-allow-ips",
            "127.0.0.1",
            "--no-control-socket",  # one per machine otherwise (~/.gunicorn), shared by CI runs
            "--access-logfile",
            str(folder / "access.log"),
        ],
        cwd=ROOT,
        env=env,
        stdout=(folder / "gunicorn.log").open("w"),
        stderr=subprocess.STDOUT,
        text=True,
    )
    wait_for_port(port, process)
    wait_until_answering(port)
    return process


def wait_until_answering(port: int, seconds: float = 90):
    """Until WORKERS requests at once are answered: every worker is up with the app loaded."""

    def one(results):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=seconds)
        try:
            connection.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            results.append(connection.getresponse().status)
        except OSError:
            results.append(None)
        finally:
            connection.close()

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        results = []
        threads = [threading.Thread(target=one, args=(results,)) for _ in range(WORKERS * 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if results == [200] * len(threads):
            return
        time.sleep(0.5)
    raise TimeoutError(f"gunicorn on {port} did not answer")


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """gunicorn (2 sync workers) and Caddy in front of it, each on a free port."""
    if CADDY is None:
        raise pytest.UsageError("caddy is missing: run make system-packages")
    folder = tmp_path_factory.mktemp("proxy")
    app_port, https_port, http_port = free_port(), free_port(), free_port()
    gunicorn = start_gunicorn(folder, app_port)
    caddy_env = {
        **os.environ,
        "HOME": str(folder),
        "XDG_DATA_HOME": str(folder / "data"),
        "XDG_CONFIG_HOME": str(folder / "config"),
        "SITE_ADDRESS": f"127.0.0.1:{https_port}",
        "TLS": "internal",
        "UPSTREAM": f"127.0.0.1:{app_port}",
        "HTTP_PORT": str(http_port),
        "HTTPS_PORT": str(https_port),
    }
    caddy = subprocess.Popen(
        [CADDY, "run", "--config", str(ROOT / "deploy" / "Caddyfile"), "--adapter", "caddyfile"],
        env=caddy_env,
        stdout=(folder / "caddy.log").open("w"),
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for_port(https_port, caddy)
        root_ca = folder / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        deadline = time.monotonic() + 10
        while not root_ca.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        context = ssl.create_default_context(cafile=str(root_ca))
        # Caddy issues the site's certificate a moment after it starts listening.
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = http.client.HTTPSConnection(
                    "127.0.0.1", https_port, timeout=5, context=context
                )
                connection.request("GET", "/healthz")
                connection.getresponse().read()
                connection.close()
                break
            except (ssl.SSLError, OSError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield {"app": app_port, "https": https_port, "tls": context, "folder": folder}
    finally:
        stop(caddy)
        stop(gunicorn)


@pytest.fixture
def bare_gunicorn(tmp_path):
    """A gunicorn of its own, for tests that kill its workers."""
    port = free_port()
    process = start_gunicorn(tmp_path, port)
    try:
        yield {"app": port, "folder": tmp_path, "gunicorn": process}
    finally:
        stop(process)


def healthz_seconds(connect, timeout: float) -> float | None:
    """Seconds /healthz took to answer 200, or None when it did not within `timeout`."""
    start = time.monotonic()
    connection = connect(timeout)
    try:
        connection.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        assert response.status == 200
        return time.monotonic() - start
    except TimeoutError:
        return None
    finally:
        connection.close()


class SlowClients:
    """Clients that POST a 60-byte body one byte a second."""

    def __init__(self, open_socket, count: int = SLOW_CLIENTS):
        self.open_socket, self.count = open_socket, count
        self.stopped = threading.Event()
        self.threads = []

    def _trickle(self):
        sock = self.open_socket()
        try:
            sock.sendall(
                b"POST /csp-report/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/csp-report\r\nContent-Length: 60\r\n\r\n"
            )
            for _ in range(60):
                if self.stopped.wait(1):
                    break
                sock.sendall(b" ")
        except OSError:
            pass  # cut off by a server timeout: what a server should do
        finally:
            sock.close()

    def __enter__(self):
        for _ in range(self.count):
            thread = threading.Thread(target=self._trickle, daemon=True)
            thread.start()
            self.threads.append(thread)
        time.sleep(1.5)  # every slow client connected and sending
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        for thread in self.threads:
            thread.join(timeout=5)


def test_slow_clients_hold_every_bare_gunicorn_worker(servers):
    """Without the proxy (the old docker-compose.yml): /healthz waits behind the slow bodies."""
    port = servers["app"]

    def connect(timeout):
        return http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    assert healthz_seconds(connect, 10) is not None  # free workers answer at once
    with SlowClients(lambda: socket.create_connection(("127.0.0.1", port))):
        assert healthz_seconds(connect, 5) is None
    # The slow clients gone, the workers are free again.
    assert healthz_seconds(connect, 10) is not None


def test_slow_clients_do_not_block_healthz_behind_the_proxy(servers):
    port, context = servers["https"], servers["tls"]

    def connect(timeout):
        return http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout, context=context)

    def tls_socket():
        raw = socket.create_connection(("127.0.0.1", port))
        return context.wrap_socket(raw, server_hostname="127.0.0.1")

    with SlowClients(tls_socket, count=SLOW_CLIENTS * 2):
        answers = [healthz_seconds(connect, 5) for _ in range(5)]
    assert None not in answers, answers
    assert max(answers) < 3.0, answers  # the bare gunicorn did not answer in 5 s


def test_the_proxy_compresses_pages(servers):
    port, context = servers["https"], servers["tls"]
    for encoding in ("gzip", "zstd"):
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)
        connection.request("GET", "/accounts/login/", headers={"Accept-Encoding": encoding})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        assert response.status == 200
        assert response.getheader("Content-Encoding") == encoding
        if encoding == "gzip":
            assert b"Sign in" in gzip.decompress(body)
        # The application's own headers pass through the proxy.
        assert "frame-ancestors 'none'" in response.getheader("Content-Security-Policy")


def test_the_proxy_refuses_a_body_over_its_cap(servers):
    """A declared 33 MB body is refused by Caddy itself at once: nothing of it is sent, and
    gunicorn never hears of the request."""
    port, context = servers["https"], servers["tls"]
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    with context.wrap_socket(raw, server_hostname="127.0.0.1") as sock:
        sock.sendall(
            b"POST /csp-report/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/csp-report\r\nContent-Length: 33000000\r\n\r\n"
        )
        answer = sock.recv(4096).decode(errors="replace")
    status_line, _, rest = answer.partition("\r\n")
    assert status_line.split()[1] == "413", answer
    assert "gunicorn" not in rest
    for limit, refused in ((31_999_999, False), (32_000_000, True), (120_000_000, True)):
        assert bool(re.fullmatch(CADDY_TOO_LARGE, str(limit))) is refused, limit


def test_a_body_between_the_caps_gets_the_applications_answer(servers):
    """Over the application's cap (21 MB) and under the proxy's (32 MB): the tracker's 413 page."""
    port, context = servers["https"], servers["tls"]
    connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=context)
    connection.request("POST", "/csp-report/", body=b"x" * (25 * 1024 * 1024))
    response = connection.getresponse()
    page = response.read().decode()
    connection.close()
    assert response.status == 413
    assert "What you sent is too large" in page


# --- Upload files of requests that die -----------------------------------------------------------


def _start_upload(port: int, total: int, sent: int) -> socket.socket:
    """An anonymous multipart POST that declares `total` bytes of file and sends `sent`: Django
    spools the file to FILE_UPLOAD_TEMP_DIR while it reads (with a CSRF cookie present, the CSRF
    check reads the form to find the token)."""
    boundary = b"----tracker-test"
    head = (
        b"--" + boundary + b"\r\n"
        b'Content-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n"
    )
    tail = b"\r\n--" + boundary + b"--\r\n"
    length = len(head) + total + len(tail)
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(
        b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Cookie: csrftoken=" + b"a" * 32 + b"\r\n"
        b"Content-Type: multipart/form-data; boundary=" + boundary + b"\r\n"
        b"Content-Length: " + str(length).encode() + b"\r\n\r\n" + head
    )
    chunk = b"%PDF" + b"x" * (64 * 1024 - 4)
    for _ in range(sent // len(chunk)):
        sock.sendall(chunk)
    return sock


def _wait_for(condition, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _spooled(server) -> list[Path]:
    return sorted((server["folder"] / "var" / "upload-tmp").glob("*.upload*"))


def test_a_request_that_dies_mid_upload_removes_its_file(bare_gunicorn):
    """The client goes away half-way: Django closes, and so deletes, the spooled file."""
    sock = _start_upload(bare_gunicorn["app"], total=8 * 1024 * 1024, sent=4 * 1024 * 1024)
    try:
        assert _wait_for(lambda: _spooled(bare_gunicorn)), "the upload was not spooled to disk"
    finally:
        sock.close()
    assert _wait_for(lambda: not _spooled(bare_gunicorn)), _spooled(bare_gunicorn)


def test_a_worker_killed_mid_upload_leaves_a_file_the_cleanup_removes(bare_gunicorn, settings):
    from resolutions.security.tasks import delete_stale_upload_files

    sock = _start_upload(bare_gunicorn["app"], total=8 * 1024 * 1024, sent=4 * 1024 * 1024)
    try:
        assert _wait_for(lambda: _spooled(bare_gunicorn)), "the upload was not spooled to disk"
        left = _spooled(bare_gunicorn)
        # SIGKILL, as the arbiter's timeout or the kernel's OOM killer would: nothing runs.
        master = bare_gunicorn["gunicorn"].pid
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        for pid in children:
            os.kill(int(pid), 9)
    finally:
        sock.close()
    time.sleep(1)
    assert all(path.exists() for path in left), "the killed worker's file stays behind"
    settings.FILE_UPLOAD_TEMP_DIR = bare_gunicorn["folder"] / "var" / "upload-tmp"
    settings.UPLOAD_TEMP_MAX_AGE_MINUTES = 0
    assert delete_stale_upload_files() == len(left)
    assert not any(path.exists() for path in left)

    # gunicorn starts new workers: the site answers again.
    def connect(timeout):
        return http.client.HTTPConnection("127.0.0.1", bare_gunicorn["app"], timeout=timeout)

    assert _wait_for(lambda: healthz_seconds(connect, 2) is not None, 20)
