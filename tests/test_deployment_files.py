"""The production container files: the services the design names, exactly one Celery beat, one
image for the web server and the workers, and an image that runs gunicorn as a non-root user.

docker-compose.yml is read through `docker-compose config` when the tool is installed (which also
validates it and resolves the YAML anchors), otherwise straight from the file with PyYAML (a test
dependency, so these tests run everywhere). The reverse proxy's Caddyfile is read by Caddy itself
(`caddy adapt`) when Caddy is installed; tests/test_proxy.py runs it.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path, PurePosixPath

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
CADDYFILE = ROOT / "deploy" / "Caddyfile"
APP_SERVICES = ("web", "worker", "beat")


# --- reading docker-compose.yml ---------------------------------------------------------------


def _compose_config(tool: str, *options: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SECRET_KEY": "test-only-secret"}
    return subprocess.run(
        [tool, "-f", str(COMPOSE_FILE), "config", *options],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def compose() -> dict:
    tool = shutil.which("docker-compose")
    if tool:
        # Compose v2 prints JSON itself; v1 answers that option with its usage text.
        as_json = _compose_config(tool, "--format", "json")
        if as_json.returncode == 0 and as_json.stdout.lstrip().startswith("{"):
            return json.loads(as_json.stdout)
        result = _compose_config(tool)
        assert result.returncode == 0, f"docker-compose config rejects the file:\n{result.stderr}"
        text = result.stdout
    else:
        text = _interpolated(COMPOSE_FILE.read_text(encoding="utf-8"))
    return yaml.safe_load(text)


def _interpolated(text: str) -> str:
    """What `docker-compose config` does with ${NAME:-default} and ${NAME:?message}, for when
    the tool is not installed: the value from the environment (as in _compose_config), else the
    default."""
    env = {**os.environ, "SECRET_KEY": "test-only-secret"}

    def value(match: re.Match) -> str:
        name, operator, default = match.group(1), match.group(2) or "", match.group(3) or ""
        found = env.get(name)
        if found:
            return found
        return "" if operator.endswith("?") else default

    return re.sub(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}", value, text)


def _words(value) -> list[str]:
    """A command or entrypoint as words, also looking inside `sh -c "…"` strings."""
    if value is None:
        return []
    tokens = shlex.split(value) if isinstance(value, str) else [str(v) for v in value]
    words = []
    for token in tokens:
        try:
            words.extend(shlex.split(token))
        except ValueError:
            words.extend(token.split())
    return words


def _command(service: dict) -> list[str]:
    return _words(service.get("entrypoint")) + _words(service.get("command"))


def _replicas(service: dict) -> int:
    return int(service.get("deploy", {}).get("replicas") or service.get("scale") or 1)


def beat_count(services: dict) -> int:
    """How many Celery beat processes the file starts: beat services, or workers run with -B."""
    count = 0
    for service in services.values():
        words = _command(service)
        if not any(PurePosixPath(word).name == "celery" for word in words):
            continue
        if "beat" in words or "-B" in words or "--beat" in words:
            count += _replicas(service)
    return count


def _environment(service: dict) -> dict:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return env


def _mounts(service: dict) -> dict:
    """Container path -> source, for both the short ("src:dst:rw") and the long form."""
    mounts = {}
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            mounts[volume["target"]] = volume.get("source")
        else:
            source, _, rest = volume.partition(":")
            mounts[rest.split(":")[0]] = source
    return mounts


def _container_ports(service: dict) -> set[str]:
    ports = set()
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            ports.add(str(port["target"]))
        else:
            ports.add(str(port).rsplit(":", 1)[-1].split("/")[0])
    return ports


# --- docker-compose.yml -------------------------------------------------------------------------


def test_compose_has_the_services_of_the_design(compose):
    assert {"postgres", "redis", "web", "worker", "beat", "mailpit"} <= set(compose["services"])


def test_exactly_one_celery_beat_runs(compose):
    # The default `up` (services without a profile) and the scaled profile's set each run one.
    services = compose["services"]
    default = {name: s for name, s in services.items() if not s.get("profiles")}
    scaled = {name: s for name, s in services.items() if "scaled" in (s.get("profiles") or [])}
    assert beat_count(default) == 1
    assert beat_count(scaled) == 1


def test_the_scaled_profile_runs_two_web_nodes_and_two_workers_behind_pgbouncer_and_s3(compose):
    services = compose["services"]
    scaled = {name for name, s in services.items() if "scaled" in (s.get("profiles") or [])}
    assert {"web-a", "web-b", "worker-a", "worker-b", "beat-scaled"} <= scaled
    assert {"seaweedfs", "pgbouncer", "create-bucket", "migrate-scaled"} <= scaled
    for name in ("web-a", "web-b", "worker-a", "worker-b", "beat-scaled"):
        env = _environment(services[name])
        assert "@pgbouncer:" in env["DATABASE_URL"]
        assert env["DISABLE_SERVER_SIDE_CURSORS"] == "true"
        assert env["AWS_S3_ENDPOINT_URL"] == "http://seaweedfs:8333"
        assert "volumes" not in services[name]  # nothing shared on disk
    queues = set()
    for name in ("worker-a", "worker-b"):
        words = _command(services[name])
        queues |= set(words[words.index("-Q") + 1].split(","))
    assert queues >= {"reports", "digests", "celery"}


def test_the_beat_count_notices_a_second_beat():
    # The check above is only worth something if it sees the usual ways of adding a beat.
    beat = {"command": ["celery", "-A", "tracker", "beat", "--loglevel", "INFO"]}
    worker = {"command": "celery -A tracker worker --concurrency 2"}
    assert beat_count({"beat": beat, "worker": worker}) == 1
    assert beat_count({"beat": beat, "beat2": beat, "worker": worker}) == 2
    assert beat_count({"beat": beat, "worker": {"command": "celery -A tracker worker -B"}}) == 2
    assert beat_count({"beat": {**beat, "deploy": {"replicas": 2}}, "worker": worker}) == 2
    in_a_shell = {"entrypoint": ["sh", "-c"], "command": ["exec celery -A tracker beat"]}
    assert beat_count({"beat": beat, "other": in_a_shell}) == 2


def test_worker_runs_celery_worker_and_beat_its_schedule_under_var(compose):
    worker = _command(compose["services"]["worker"])
    beat = _command(compose["services"]["beat"])
    assert worker[:4] == ["celery", "-A", "tracker", "worker"]
    assert "-B" not in worker and "--beat" not in worker
    assert beat[:4] == ["celery", "-A", "tracker", "beat"]
    assert beat[beat.index("--schedule") + 1].startswith("/app/var/")


def test_worker_and_beat_run_the_web_image(compose):
    services = compose["services"]
    web = services["web"]
    assert web.get("build"), "web builds the image from this repository"
    for name in ("worker", "beat"):
        assert services[name].get("build") == web.get("build"), name
        assert services[name].get("image") == web.get("image"), name


def test_web_serves_gunicorn_on_8000_and_checks_healthz(compose):
    web = compose["services"]["web"]
    assert not _command(web) or PurePosixPath(_command(web)[0]).name == "gunicorn"
    assert "8000" in {str(port) for port in web.get("expose") or []}
    healthcheck = web["healthcheck"]
    assert not healthcheck.get("disable")
    test = healthcheck["test"]
    assert "http://127.0.0.1:8000/healthz" in (test if isinstance(test, str) else " ".join(test))


def test_web_and_worker_wait_for_healthy_postgres_and_redis(compose):
    for name in ("web", "worker"):
        depends_on = compose["services"][name]["depends_on"]
        for needed in ("postgres", "redis"):
            assert depends_on[needed]["condition"] == "service_healthy", (name, needed)


def test_web_worker_and_beat_share_one_environment(compose):
    services = compose["services"]
    envs = [_environment(services[name]) for name in APP_SERVICES]
    assert envs[0] == envs[1] == envs[2]
    env = envs[0]
    assert str(env["DEBUG"]).lower() == "false"
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["CELERY_BROKER_URL"].startswith("redis://redis:")
    assert env["EMAIL_URL"] == "smtp://mailpit:1025"


def test_web_and_worker_share_the_media_volume(compose):
    services = compose["services"]
    media_root = _environment(services["web"])["MEDIA_ROOT"]
    web_source = _mounts(services["web"]).get(media_root)
    assert web_source in (compose.get("volumes") or {}), "media is a named volume"
    assert _mounts(services["worker"]).get(media_root) == web_source


# --- The reverse proxy and the private network --------------------------------------------------


def _networks(service: dict) -> dict:
    networks = service.get("networks") or {}
    return {name: None for name in networks} if isinstance(networks, list) else networks


def _option(words: list[str], name: str) -> str | None:
    for index, word in enumerate(words):
        if word == name and index + 1 < len(words):
            return words[index + 1]
        if word.startswith(name + "="):
            return word.split("=", 1)[1]
    return None


def test_only_the_proxy_publishes_ports_for_the_tracker(compose):
    services = compose["services"]
    proxy = services["proxy"]
    assert str(proxy["image"]).startswith("caddy:")
    assert "443" in _container_ports(proxy)
    assert _mounts(proxy).get("/etc/caddy/Caddyfile", "").endswith("deploy/Caddyfile")
    for name in ("web", "worker", "beat", "postgres", "redis"):
        assert not services[name].get("ports"), f"{name} publishes a port; only the proxy may"


def test_gunicorn_is_on_the_private_network_with_the_proxy(compose):
    services = compose["services"]
    web_networks = set(_networks(services["web"]))
    proxy_networks = _networks(services["proxy"])
    assert web_networks == {"backend"}
    assert "backend" in proxy_networks and len(proxy_networks) == 2  # backend and the edge
    for name in ("postgres", "redis", "worker", "beat"):
        assert set(_networks(services[name])) == {"backend"}, name


def test_gunicorn_trusts_forwarded_headers_from_the_proxy_only(compose):
    services = compose["services"]
    allowed = _option(_command(services["web"]), "--forwarded-allow-ips")
    proxy_ip = _networks(services["proxy"])["backend"]["ipv4_address"]
    assert allowed == proxy_ip
    subnet = compose["networks"]["backend"]["ipam"]["config"][0]["subnet"]
    import ipaddress

    assert ipaddress.ip_address(proxy_ip) in ipaddress.ip_network(subnet)
    env = _environment(services["web"])
    assert str(env["SECURE_PROXY_SSL_HEADER"]).lower() == "true"
    assert str(env["TRUSTED_PROXY_COUNT"]) == "1"
    assert str(env["SESSION_COOKIE_SECURE"]).lower() == "true"


@pytest.fixture(scope="module")
def caddy_config() -> dict:
    """The Caddyfile as Caddy itself understands it (JSON), with the compose file's defaults."""
    caddy = shutil.which("caddy")
    if caddy is None:
        if os.environ.get("CI"):
            raise pytest.UsageError("caddy is missing: run make system-packages")
        pytest.skip("Caddy is not installed (make system-packages)")
    result = subprocess.run(
        [caddy, "adapt", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "UPSTREAM": "web:8000", "SITE_ADDRESS": "localhost"},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _handlers(config: dict) -> list[dict]:
    found = []

    def walk(node):
        if isinstance(node, dict):
            if "handler" in node:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(config["apps"]["http"])
    return found


def test_the_proxy_buffers_caps_compresses_and_times_out(caddy_config):
    handlers = {h["handler"]: h for h in _handlers(caddy_config)}
    proxy = handlers["reverse_proxy"]
    assert proxy.get("buffer_requests") is True or proxy.get("request_buffers")
    assert proxy["upstreams"] == [{"dial": "web:8000"}]
    assert handlers["request_body"]["max_size"] == 32_000_000
    assert {"gzip", "zstd"} <= set(handlers["encode"]["encodings"])
    server = next(iter(caddy_config["apps"]["http"]["servers"].values()))
    for timeout in ("read_header_timeout", "read_timeout", "write_timeout", "idle_timeout"):
        assert server.get(timeout), timeout
    assert server["listen"] == [":443"]
    assert caddy_config["apps"]["tls"]["automation"]["policies"][0]["issuers"][0]["module"] in {
        "internal",
        "acme",
    }


def test_a_backup_runs_every_day_with_the_evidence_files(compose):
    services = compose["services"]
    backup = services["backup"]
    words = _command(backup)
    script = " ".join(words)
    assert "manage.py backup" in script
    assert "sleep 86400" in script, "one backup a day"
    assert "-mtime" in script, "old backups are removed after BACKUP_KEEP_DAYS"
    media_root = _environment(services["web"])["MEDIA_ROOT"]
    mounts = _mounts(backup)
    assert mounts.get(media_root) == _mounts(services["web"])[media_root], "evidence is backed up"
    assert mounts.get("/backups") in (compose.get("volumes") or {}), "backups in a named volume"
    assert set(_networks(backup)) == {"backend"}
    assert not backup.get("ports")


# --- Dockerfile and .dockerignore --------------------------------------------------------------


def final_stage() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile's last stage, continuation lines joined."""
    instructions, pending = [], ""
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("#") or not line.strip():
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).strip().partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


def _arguments(keyword: str) -> list[str]:
    return [arguments for kw, arguments in final_stage() if kw == keyword]


def test_image_runs_as_a_non_root_user():
    users = _arguments("USER")
    assert users, "the Dockerfile sets a USER"
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_image_cmd_runs_gunicorn():
    cmds = _arguments("CMD")
    assert cmds, "the Dockerfile sets a CMD"
    cmd = json.loads(cmds[-1]) if cmds[-1].startswith("[") else shlex.split(cmds[-1])
    assert PurePosixPath(cmd[0]).name == "gunicorn"
    assert "tracker.wsgi:application" in cmd


def test_image_builds_the_hashed_static_files():
    runs = " ".join(_arguments("RUN"))
    assert "collectstatic" in runs
    assert "STATIC_MANIFEST=true" in runs


def test_local_state_stays_out_of_the_image():
    # var/ holds the development secret key and SQLite database.
    entries = {
        line.strip().strip("/")
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", "var"} <= entries
