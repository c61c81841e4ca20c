"""`make run`: the development broker, the portal and the task worker, stopped together.

Development only. Everything it sets is a development value; production sets its own.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BROKER_PORT = os.environ.get("BROKER_PORT", "8090")
PORTAL_ADDRESS = os.environ.get("PORTAL_ADDRESS", "127.0.0.1:8000")
DISCOVERY = f"http://127.0.0.1:{BROKER_PORT}/.well-known/openid-configuration"


def wait_for(url: str, process: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"The development broker stopped at start-up (exit {process.returncode}).")
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - a fixed local URL
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"The development broker did not answer at {url} within {seconds} seconds.")


def main() -> None:
    env = os.environ | {
        "DJANGO_DEBUG": "true",
        "OIDC_OP_DISCOVERY_URL": DISCOVERY,
        "BROKER_PORT": BROKER_PORT,
        "PYTHONUNBUFFERED": "1",
        # The API quickstart's callback receiver listens on this machine over plain HTTP.
        "CALLBACKS_ALLOW_LOCAL": "true",
    }
    python = sys.executable
    processes = [
        subprocess.Popen(["node", str(REPO / "dev" / "broker" / "server.js")], env=env, cwd=REPO)
    ]
    try:
        wait_for(DISCOVERY, processes[0])
        processes.append(
            subprocess.Popen([python, "manage.py", "runserver", PORTAL_ADDRESS], env=env, cwd=REPO)
        )
        # E-mail and SMS (codes, notices) go out from here, never from inside a request. The
        # worker waits for a database that is gone and takes over tasks of a worker that died.
        subprocess.run(
            [python, "manage.py", "notifications_recover"], env=env, cwd=REPO, check=True
        )
        processes.append(subprocess.Popen([python, "manage.py", "run_worker"], env=env, cwd=REPO))
        print(
            f"\nMijn Omgeving Zakelijk: http://{PORTAL_ADDRESS}  (stop with Ctrl+C)\n", flush=True
        )
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
