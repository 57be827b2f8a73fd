"""Build the next chunk of rows while the database writes the current one.

Building rows is Python work; writing them is mostly the database's (SQLite's engine and
PostgreSQL's COPY run without holding the GIL). A producer thread runs the row generator a few
chunks ahead of the writer, so the export costs little more than the writing itself. An error
in the producer is raised in the consumer; a consumer that stops early (a database error)
stops the producer.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")

_DONE = object()


def ahead(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """Yield the items of an iterator computed in a background thread, up to depth ahead."""
    buffer: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                buffer.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_DONE)
        except BaseException as error:
            put(error)

    worker = threading.Thread(target=produce, name="reserve-export-rows", daemon=True)
    worker.start()
    try:
        while True:
            item = buffer.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()
