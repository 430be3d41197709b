"""A TCP proxy the operations tests put in front of PostgreSQL or Redis and then break.

Three states:

- ``restore()`` (the start): every byte is passed both ways.
- ``cut()``: new connections are refused and open ones broken, as a dead server would.
- ``stall()``: new connections are accepted and held, and open ones are no longer
  forwarded, in either direction. The kernel goes on accepting and acknowledging bytes, so
  the client sees no error at all: only its own timeouts end the wait. This is a hanging
  server, a held lock on every row, or a stalled network or proxy.

After ``restore()`` held connections are connected through and whatever they sent is
delivered, as when a stalled network recovers.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
import time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TcpProxy:
    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = free_port()
        self.mode = "pass"
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._held: list[socket.socket] = []  # accepted while stalled, not yet connected on
        self._selector = selectors.DefaultSelector()
        self._stop = threading.Event()
        self._pump_thread = threading.Thread(target=self._pump, name="proxy-pump", daemon=True)
        self._pump_thread.start()
        self._listen()

    # -- the states ----------------------------------------------------------------------

    def stall(self) -> None:
        with self._lock:
            self.mode = "stall"

    def cut(self) -> None:
        with self._lock:
            self.mode = "refuse"
            self._close_listener()
            for sock in [s for pair in self._pairs for s in pair] + self._held:
                self._forget(sock)
            self._pairs.clear()
            self._held.clear()

    def restore(self) -> None:
        with self._lock:
            self.mode = "pass"
            held, self._held = self._held, []
        for client in held:
            self._connect_through(client)
        if self._listener is None:
            self._listen()

    def close(self) -> None:
        self._stop.set()
        self.cut()
        self._pump_thread.join(5)

    # -- accepting -------------------------------------------------------------------------

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _close_listener(self) -> None:
        if self._listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would not.
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with self._lock:
                if listener is not self._listener:
                    client.close()
                    return
                if self.mode == "stall":
                    self._held.append(client)
                    continue
            self._connect_through(client)

    def _connect_through(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)
        with self._lock:
            self._pairs.append((client, upstream))
            self._selector.register(client, selectors.EVENT_READ, upstream)
            self._selector.register(upstream, selectors.EVENT_READ, client)

    # -- forwarding ------------------------------------------------------------------------

    def _pump(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                passing = self.mode == "pass" and bool(self._selector.get_map())
            if not passing:
                time.sleep(0.01)
                continue
            try:
                events = self._selector.select(timeout=0.05)
            except (OSError, ValueError):  # a socket was closed by cut() meanwhile
                continue
            for key, _ in events:
                with self._lock:
                    if self.mode != "pass":
                        break  # stalled meanwhile: leave the bytes where they are
                self._forward(key.fileobj, key.data)

    def _forward(self, source: socket.socket, destination: socket.socket) -> None:
        try:
            data = source.recv(65536)
            if not data:
                raise OSError("closed")
            destination.sendall(data)
        except OSError:
            with self._lock:
                self._forget(source)
                self._forget(destination)
                self._pairs = [p for p in self._pairs if source not in p]

    def _forget(self, sock: socket.socket) -> None:
        with contextlib.suppress(KeyError, ValueError, OSError):
            self._selector.unregister(sock)
        with contextlib.suppress(OSError):
            sock.close()
