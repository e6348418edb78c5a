"""A real WordPress (Debian's packages) on 127.0.0.1 for the migration tests, built in a temporary folder.

Nothing system-wide is configured: a throwaway MariaDB (its own datadir, a socket in the
folder, no network), php-fpm and nginx with configuration files in the folder, and a
WordPress tree whose few top-level PHP files are copied (so that ABSPATH and wp-config.php
are ours) while wp-includes, wp-admin, themes and plugins are Debian's. Content is written
by WordPress itself (seed.php calls wp_install, wp_insert_post, wp_insert_attachment …);
dump.php and export.php read it back through WordPress's API.

Run `python -m xinwen.importer.tests.wordpress.site` to start one by hand and look at it.
"""

from __future__ import annotations

import getpass
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["WordPress", "missing_packages", "INSTALL_HINT"]

DEBIAN_WORDPRESS = Path("/usr/share/wordpress")
HERE = Path(__file__).resolve().parent
PACKAGES = {  # program → Debian package
    "/usr/sbin/mariadbd": "mariadb-server",
    "/usr/bin/mariadb-install-db": "mariadb-server",
    "/usr/sbin/php-fpm8.2": "php-fpm",
    "/usr/sbin/nginx": "nginx",
    str(DEBIAN_WORDPRESS / "wp-settings.php"): "wordpress",
}
INSTALL_HINT = "apt-get install -y wordpress php-fpm php-mysql php-gd mariadb-server nginx  (.ci/run does this in CI)"


# Debian's /etc/nginx/fastcgi_params passes HTTP_HOST as $host, without the port; WordPress then
# redirects every page of a site on a port to itself. The standard set, with the port kept:
FASTCGI_PARAMS = [
    ("QUERY_STRING", "$query_string"), ("REQUEST_METHOD", "$request_method"), ("CONTENT_TYPE", "$content_type"),
    ("CONTENT_LENGTH", "$content_length"), ("SCRIPT_NAME", "$fastcgi_script_name"), ("REQUEST_URI", "$request_uri"),
    ("DOCUMENT_URI", "$document_uri"), ("DOCUMENT_ROOT", "$document_root"), ("SERVER_PROTOCOL", "$server_protocol"),
    ("REQUEST_SCHEME", "$scheme"), ("GATEWAY_INTERFACE", "CGI/1.1"), ("SERVER_SOFTWARE", "nginx"),
    ("REMOTE_ADDR", "$remote_addr"), ("REMOTE_PORT", "$remote_port"), ("SERVER_ADDR", "$server_addr"),
    ("SERVER_PORT", "$server_port"), ("SERVER_NAME", "127.0.0.1"), ("REDIRECT_STATUS", "200"),
    ("HTTP_HOST", "$host:$server_port"), ("SCRIPT_FILENAME", "$document_root$fastcgi_script_name"),
]  # fmt: skip


def missing_packages() -> list[str]:
    missing = {package for program, package in PACKAGES.items() if not Path(program).exists()}
    php = shutil.which("php")
    if php is None:
        missing.add("php-cli")
    elif "mysqli" not in subprocess.run([php, "-m"], capture_output=True, text=True).stdout:
        missing.add("php-mysql")
    return sorted(missing)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(what: str, ready, process: subprocess.Popen, log: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode}:\n{_tail(log)}")
        if ready():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start within {timeout:g} s:\n{_tail(log)}")


def _die_with_parent() -> None:
    """In the child: end with the test process, even when it is killed and cannot stop the servers itself."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass


def _tail(path: Path) -> str:
    return path.read_text(errors="replace")[-4000:] if path.exists() else "(no log)"


@dataclass
class WordPress:
    root: Path
    port: int = field(default_factory=_free_port)
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def docroot(self) -> Path:
        return self.root / "wp"

    # -- the three servers ------------------------------------------------------------------

    def start(self) -> WordPress:
        self.root.mkdir(parents=True, exist_ok=True)
        try:
            self._mariadb()
            self._tree()
            self._php_fpm()
            self._nginx()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.processes.clear()

    def _spawn(self, args: list[str], log_name: str) -> tuple[subprocess.Popen, Path]:
        log = self.root / log_name
        with log.open("ab") as handle:
            process = subprocess.Popen(args, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       preexec_fn=_die_with_parent)  # fmt: skip
        self.processes.append(process)
        return process, log

    def _mariadb(self) -> None:
        datadir, user = self.root / "db", getpass.getuser()
        subprocess.run(["mariadb-install-db", "--no-defaults", f"--datadir={datadir}", f"--user={user}",
                        "--auth-root-authentication-method=socket", "--skip-test-db"],
                       check=True, capture_output=True, timeout=120)  # fmt: skip
        sock = self.root / "mysql.sock"
        # No TCP at all: the socket lives in this private folder, so grant tables add nothing.
        process, log = self._spawn(["/usr/sbin/mariadbd", "--no-defaults", f"--datadir={datadir}", f"--socket={sock}",
                                    "--skip-networking", "--skip-grant-tables", f"--user={user}",
                                    f"--pid-file={self.root / 'mysqld.pid'}", "--innodb-buffer-pool-size=32M",
                                    "--character-set-server=utf8mb4", "--skip-log-bin"], "mysqld.log")  # fmt: skip
        _wait("MariaDB", sock.exists, process, log)
        _wait("MariaDB", lambda: self._sql("SELECT 1", check=False) == 0, process, log)
        self._sql("CREATE DATABASE wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")

    def _sql(self, statement: str, *, check: bool = True) -> int:
        result = subprocess.run(["mariadb", "--no-defaults", f"--socket={self.root / 'mysql.sock'}", "-uroot", "-e", statement],
                                capture_output=True, text=True, timeout=30)  # fmt: skip
        if check and result.returncode:
            raise RuntimeError(f"SQL {statement!r} failed: {result.stderr}")
        return result.returncode

    def _tree(self) -> None:
        """Debian's WordPress with our own wp-config.php: top-level files copied, the rest linked."""
        wp = self.docroot
        (wp / "wp-content" / "uploads").mkdir(parents=True)
        for entry in DEBIAN_WORDPRESS.iterdir():
            if entry.suffix == ".php" and entry.name != "wp-config.php":
                shutil.copy(entry, wp / entry.name)
        for name in ("wp-admin", "wp-includes"):
            (wp / name).symlink_to(DEBIAN_WORDPRESS / name)
        for name in ("themes", "plugins", "languages"):
            (wp / "wp-content" / name).symlink_to(DEBIAN_WORDPRESS / "wp-content" / name)
        salts = "".join(f"define('{k}', '{os.urandom(24).hex()}');\n" for k in
                        ("AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT",
                         "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT"))  # fmt: skip
        (wp / "wp-config.php").write_text(
            "<?php\n"
            "define('DB_NAME', 'wordpress'); define('DB_USER', 'root'); define('DB_PASSWORD', '');\n"
            f"define('DB_HOST', 'localhost:{self.root / 'mysql.sock'}');\n"
            "define('DB_CHARSET', 'utf8mb4'); define('DB_COLLATE', '');\n"
            f"define('WP_HOME', '{self.url}'); define('WP_SITEURL', '{self.url}');\n"
            f"define('WP_CONTENT_DIR', '{wp / 'wp-content'}'); define('WP_CONTENT_URL', '{self.url}/wp-content');\n"
            "define('WP_HTTP_BLOCK_EXTERNAL', true); define('AUTOMATIC_UPDATER_DISABLED', true);\n"
            "define('WP_AUTO_UPDATE_CORE', false); define('DISABLE_WP_CRON', true); define('WP_DEBUG', false);\n"
            + salts
            + "$table_prefix = 'wp_';\n"
            "if (!defined('ABSPATH')) { define('ABSPATH', __DIR__ . '/'); }\n"
            "require_once ABSPATH . 'wp-settings.php';\n",
            encoding="utf-8",
        )

    def _php_fpm(self) -> None:
        sock, root_user = self.root / "php-fpm.sock", os.geteuid() == 0
        user = f"user = {getpass.getuser()}\n" if root_user else ""
        conf = self.root / "php-fpm.conf"
        conf.write_text(
            f"[global]\npid = {self.root / 'php-fpm.pid'}\nerror_log = {self.root / 'php-fpm.log'}\ndaemonize = no\n"
            f"[wordpress]\n{user}listen = {sock}\npm = static\npm.max_children = 4\nclear_env = no\n"
            f"catch_workers_output = yes\nphp_admin_value[error_log] = {self.root / 'php-errors.log'}\n"
            "php_admin_flag[log_errors] = on\n"
        )
        args = ["/usr/sbin/php-fpm8.2", "--nodaemonize", "--fpm-config", str(conf)] + (["--allow-to-run-as-root"] if root_user else [])
        process, log = self._spawn(args, "php-fpm.out")
        _wait("php-fpm", sock.exists, process, log)

    def _nginx(self) -> None:
        temp = self.root / "nginx-temp"
        temp.mkdir()
        user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
        conf = self.root / "nginx.conf"
        conf.write_text(
            f"{user}daemon off;\nworker_processes 2;\npid {self.root / 'nginx.pid'};\n"
            f"error_log {self.root / 'nginx-error.log'};\nevents {{ worker_connections 256; }}\n"
            "http {\n include /etc/nginx/mime.types;\n access_log off;\n"
            + "".join(f" {kind}_temp_path {temp / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
            + f" server {{\n  listen 127.0.0.1:{self.port};\n  root {self.docroot};\n  index index.php;\n"
            "  location / { try_files $uri $uri/ /index.php?$args; }\n"
            "  location ~ \\.php$ {\n"
            + "".join(f"   fastcgi_param {name} {value};\n" for name, value in FASTCGI_PARAMS)
            + f"   fastcgi_pass unix:{self.root / 'php-fpm.sock'};\n  }}\n }}\n}}\n"
        )
        process, log = self._spawn(["/usr/sbin/nginx", "-c", str(conf), "-p", str(self.root)], "nginx.out")

        def answers() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return True
            except OSError:
                return False

        _wait("nginx", answers, process, self.root / "nginx-error.log")

    # -- WordPress's own API, through PHP scripts ---------------------------------------------

    def php(self, script: str, *args: str, timeout: float = 120) -> str:
        env = {**os.environ, "WP_ROOT": str(self.docroot), "WP_HOST": f"127.0.0.1:{self.port}"}
        result = subprocess.run(["php", "-d", "display_errors=stderr", "-d", "memory_limit=256M", str(HERE / script), *args],
                                capture_output=True, text=True, env=env, timeout=timeout)  # fmt: skip
        if result.returncode:
            raise RuntimeError(f"php {script} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return result.stdout

    def seed(self) -> dict:
        self.php("seed.php", "install")
        return json.loads(self.php("seed.php", "content"))

    def dump(self) -> dict:
        """WordPress's own view of every post and page: the reference the imports are compared with."""
        return json.loads(self.php("dump.php"))

    def export(self, path: Path) -> Path:
        """The WXR file WordPress's export_wp() writes (Tools › Export › All content)."""
        path.write_text(self.php("export.php"), encoding="utf-8")
        return path

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, ""


if __name__ == "__main__":
    import tempfile

    site = WordPress(Path(tempfile.mkdtemp(prefix="wordpress-"))).start()
    print(json.dumps(site.seed(), ensure_ascii=False)[:400])
    print(f"WordPress at {site.url}/ (files in {site.root}); Ctrl-C stops it")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        site.stop()
