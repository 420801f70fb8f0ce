"""Headless Chromium driven over the DevTools protocol, with the standard library only.

Just enough of RFC 6455 (one client, text frames, no extensions) to talk to Chromium's
DevTools endpoint: Debian's chromium is all the test needs, no pip package.
"""
import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium():
    """The browser to use: $LIQMAP_CHROMIUM, else the first of CHROMIUM_NAMES on PATH (None when none)."""
    explicit = os.environ.get("LIQMAP_CHROMIUM")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


class WebSocket:
    def __init__(self, url, timeout=60):
        parts = urllib.parse.urlparse(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {parts.path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
                   "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        self.buffer = bytearray()
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        end = self.buffer.index(b"\r\n\r\n")
        status = bytes(self.buffer[:end]).split(b"\r\n")[0]
        if b" 101 " not in status:
            raise RuntimeError(f"DevTools refused the WebSocket upgrade: {status!r}")
        del self.buffer[:end + 4]

    def _fill(self):
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise EOFError("DevTools closed the connection")
        self.buffer += chunk

    def _take(self, n):
        while len(self.buffer) < n:
            self._fill()
        out = bytes(self.buffer[:n])
        del self.buffer[:n]
        return out

    def _send_frame(self, opcode, payload):
        header = bytearray([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header.append(0x80 | n)
        elif n < 65536:
            header.append(0x80 | 126)
            header += struct.pack(">H", n)
        else:
            header.append(0x80 | 127)
            header += struct.pack(">Q", n)
        mask = os.urandom(4)
        header += mask
        masked = bytes(b ^ mask[i & 3] for i, b in enumerate(payload))  # clients must mask
        self.sock.sendall(bytes(header) + masked)

    def send(self, text):
        self._send_frame(0x1, text.encode())

    def recv(self):
        message = bytearray()
        while True:
            first, second = self._take(2)
            opcode, n = first & 0x0F, second & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._take(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._take(8))[0]
            mask = self._take(4) if second & 0x80 else None
            payload = self._take(n)
            if mask:
                payload = bytes(b ^ mask[i & 3] for i, b in enumerate(payload))
            if opcode == 0x8:
                raise EOFError("DevTools closed the WebSocket")
            if opcode == 0x9:
                self._send_frame(0xA, payload)
                continue
            message += payload
            if first & 0x80:
                return message.decode()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class Browser:
    """One headless Chromium with a fresh profile, and a DevTools session on its first page."""

    def __init__(self, executable, width=1400, height=860, timeout=60):
        self.profile = tempfile.mkdtemp(prefix="liqmap-chromium-")
        self.log = open(os.path.join(self.profile, "chromium.log"), "w")
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-extensions", "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1",
                 f"--window-size={width},{height}", f"--user-data-dir={self.profile}",
                 "--remote-debugging-port=0", "about:blank"]
        self.process = subprocess.Popen([executable] + flags, stdout=self.log, stderr=self.log)
        self.events = []
        self.next_id = 0
        try:
            self.ws = WebSocket(self._page_socket(timeout), timeout)
        except Exception:
            self.close()
            raise

    def _page_socket(self, timeout):
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chromium exited with {self.process.returncode}; see {self.log.name}")
            if os.path.exists(port_file):
                lines = open(port_file).read().split()
                if lines:
                    try:
                        with urllib.request.urlopen(f"http://127.0.0.1:{lines[0]}/json/list", timeout=5) as r:
                            pages = [t for t in json.load(r) if t.get("type") == "page"]
                        if pages:
                            return pages[0]["webSocketDebuggerUrl"]
                    except OSError:
                        pass
            time.sleep(0.1)
        raise RuntimeError(f"chromium did not open its DevTools port within {timeout} s")

    def call(self, method, **params):
        self.next_id += 1
        ident = self.next_id
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"page error in {expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, path, ready_expression, timeout=60):
        """Loads a local file and waits until ready_expression is true; returns the seconds it took."""
        return self.open_url("file://" + os.path.abspath(path), ready_expression, timeout)

    def open_url(self, url, ready_expression, timeout=60):
        """Loads `url` (a file or a loopback server) and waits until ready_expression is true."""
        self.call("Runtime.enable")  # so a script error arrives as an event, not as a timeout
        started = time.time()
        self.call("Page.navigate", url=url)
        while time.time() - started < timeout:
            if self.evaluate(f"Boolean({ready_expression})"):
                return time.time() - started
            errors = [e["params"]["exceptionDetails"] for e in self.events if e["method"] == "Runtime.exceptionThrown"]
            if errors:
                details = errors[0]
                text = details.get("exception", {}).get("description") or details.get("text")
                raise RuntimeError(f"the page threw at line {details.get('lineNumber')}: {text}")
            time.sleep(0.05)
        raise RuntimeError(f"the page did not become ready within {timeout} s")

    def mouse(self, kind, x, y, **extra):
        self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, **extra)

    def key(self, key, code, virtual_key):
        for kind in ("rawKeyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key=key, code=code,
                      windowsVirtualKeyCode=virtual_key, nativeVirtualKeyCode=virtual_key)

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        if getattr(self, "ws", None):
            self.ws.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)
