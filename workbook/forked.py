"""Work done in a forked child of this process: beside this process (run_beside) or streamed back (stream).

A fork copies the parent as it is (modules imported, rules loaded), so a child starts in about a millisecond
and imports nothing; its results travel back pickled through a pipe. Evaluate uses run_beside for the second
half of a large table; validate uses stream to read a batch's files in a child, where a native reader that
aborts (SIGABRT) ends the child and not radit (the parent reports the file and goes on).
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any, Callable, Iterator, TypeVar

A = TypeVar("A")
B = TypeVar("B")
_FRAME = 8  # bytes of each frame's length, little-endian, before its pickle


class ChildFailed(Exception):
    """The child ended before it finished: by a signal (`signal`) or with an exit code (`code`)."""

    def __init__(self, status: int):
        self.signal = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        self.code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
        super().__init__(f"child ended by signal {self.signal}" if self.signal else f"child exited with {self.code}")


_ASIDE: list = []  # threads radit started beside its work (start_aside): every fork waits for them first


def start_aside(target: Callable[[], Any], name: str):
    """Run target() in a daemon thread beside this one (numpy's import while calamine parses a large sheet).
    A fork waits for it to end (can_fork, and each fork here): a lock it held at the fork would stay locked in
    the child. The thread is started, and returned."""
    import threading

    thread = threading.Thread(target=target, name=name, daemon=True)
    _ASIDE.append(thread)
    thread.start()
    return thread


def _join_aside() -> None:
    while _ASIDE:
        _ASIDE.pop().join()


def can_fork() -> bool:
    """Whether this process can fork now, once the threads of start_aside have ended. Fork is sound on Linux;
    macOS frameworks and Windows do not allow it (there the work stays in one process, or goes to a process
    pool). Only from a single-threaded process: a lock another thread holds at the fork stays locked in the child."""
    import threading

    _join_aside()
    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


def run_beside(here: Callable[[], A], there: Callable[[], B]) -> tuple[A, B | None]:
    """(here(), there()) with there() run in a forked child at the same time; its result travels back pickled.
    None for there's result when no child could start or it failed (the caller computes it itself)."""
    child = _fork(lambda send: send(there()))
    if child is None:
        return here(), None
    try:
        mine = here()
    except BaseException:  # Ctrl+C or a bug: the child is killed, nothing waits for it
        _abandon(child)
        raise
    try:
        got = list(_frames(child))
    except ChildFailed:
        return mine, None
    return mine, got[0] if len(got) == 1 else None


def stream(produce: Callable[[Callable[[Any], None]], None]) -> Iterator[Any]:
    """Run produce(send) in a forked child and yield each object it sends, as it arrives (pickled, one frame
    each). Raises ChildFailed once what the child sent is yielded, if it did not finish (an exception in
    produce, a signal); OSError if no child can start. Closing the iterator early kills the child."""
    child = _fork(produce)
    if child is None:
        raise OSError("no child process could be started")
    return _frames(child)


def _frames(child: tuple[int, int]) -> Iterator[Any]:
    import pickle

    pid, read_end = child
    finished = False
    try:
        with os.fdopen(read_end, "rb") as pipe:
            while True:
                head = pipe.read(_FRAME)
                if len(head) < _FRAME:
                    break
                size = int.from_bytes(head, "little")
                data = pipe.read(size)
                if len(data) < size:
                    break
                yield pickle.loads(data)
        finished = True
    finally:
        if not finished:  # the caller stopped early (or the pipe broke): nothing of the child is wanted
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            status = 1 << 8
    if status != 0:
        raise ChildFailed(status)


def _fork(produce: Callable[[Callable[[Any], None]], None]) -> tuple[int, int] | None:
    """(pid, read end) of a child running produce(send); None when no child could be started."""
    _join_aside()
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: compute, send, leave without running the parent's exit handlers
        code = 1
        try:
            _die_with_parent()
            os.close(read_end)
            import pickle  # here, not at the top: the Lite bundle (Pyodide) imports the modules that use this

            with os.fdopen(write_end, "wb") as pipe:
                def send(obj: Any) -> None:
                    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
                    pipe.write(len(data).to_bytes(_FRAME, "little"))
                    pipe.write(data)
                    pipe.flush()

                produce(send)
            code = 0
        except BaseException:  # a broken pipe (the parent gave up), a refusal, anything: the parent finds out
            pass
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def _die_with_parent() -> None:
    """If the parent is killed (SIGKILL, a closed terminal), the kernel kills this child too, rather than leave
    it computing what nobody will read (Linux prctl PR_SET_PDEATHSIG)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _abandon(child: tuple[int, int]) -> None:
    pid, read_end = child
    os.close(read_end)
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ChildProcessError, ProcessLookupError):
        pass
