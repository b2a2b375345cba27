"""Browser tests: Playwright driving Debian's Chromium against a live test server."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made from the
# tests themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe-4.11.4.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"Chromium is missing at {CHROMIUM}: run make system-packages")
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (make system-packages)")
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def reference_data(request):
    """Browser tests run in real transactions, and the database is emptied after each one:
    put the nations and committees (normally created by a migration) back first."""
    if "live_server" not in request.fixturenames:
        return
    from resolutions.models import Committee, Delegation, Member
    from resolutions.reference import ensure_reference_data

    request.getfixturevalue("transactional_db")
    ensure_reference_data(Committee, Member, Delegation)


# Collects what the Content-Security-Policy blocks, in every page of the test's browser context.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation(`${event.violatedDirective} blocked ${event.blockedURI} ` +
    `at ${event.sourceFile}:${event.lineNumber} on ${document.location.pathname}`);
});
"""


@pytest.fixture
def csp_violations(context):
    """Every browser journey ends with no CSP violation (a blocked script or style would mean a
    broken page in production). Playwright's own init scripts are not subject to the policy."""
    found = []
    context.expose_function("__cspViolation", lambda text: found.append(text))
    context.add_init_script(CSP_LISTENER)
    return found


@pytest.fixture(autouse=True)
def _no_csp_violation(request):
    if "page" not in request.fixturenames:
        yield
        return
    found = request.getfixturevalue("csp_violations")
    yield
    assert found == [], f"Content-Security-Policy violations: {found}"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


def sign_in(page, live_server, username, password="pw"):
    """Signs in through the form, and types the authenticator's code when the site asks
    (secretaries and administrators: tests/conftest.py gives them TOTP_KEY)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/accounts/two-factor/verify/" in page.url:
        page.get_by_label("Code", exact=True).fill(_unused_code(username))
        page.get_by_role("button", name="Verify").click()
        page.wait_for_load_state()


_last_step: dict[str, int] = {}


def _unused_code(username: str) -> str:
    """A code the site has not seen from this person: django-otp refuses a code twice, so a
    second sign-in within the same 30 s takes the next step's code (its tolerance allows one
    step ahead), or waits for the next step."""
    import time

    from django_otp.oath import totp

    from tests.conftest import TOTP_KEY

    now = int(time.time()) // 30
    step = max(now, _last_step.get(username, -1) + 1)
    if step > now + 1:
        time.sleep((step - 1) * 30 - time.time() + 0.5)
        now = step - 1
    _last_step[username] = step
    return f"{totp(bytes.fromhex(TOTP_KEY), drift=step - now):06d}"


def current_code(key: str | None = None) -> str:
    """What an authenticator app shows now for the key (hex)."""
    from django_otp.oath import totp

    from tests.conftest import TOTP_KEY

    return f"{totp(bytes.fromhex(key or TOTP_KEY)):06d}"


def serious_accessibility_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    # Evaluated rather than added as a <script>: the page's CSP (rightly) refuses inline scripts.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    results = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def screenshot(page, name: str):
    """Saves var/screenshots/NAME-WIDTH.png for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)


def horizontal_overflow(page, width: int = 375) -> int:
    """How many pixels the page is wider than a `width` px screen (0: it reflows). The page is
    reloaded at that width so that its layout is the one a phone gets."""
    page.set_viewport_size({"width": width, "height": 800})
    page.reload()
    return page.evaluate("document.documentElement.scrollWidth") - width
