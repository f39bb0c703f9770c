"""evaluate's row outputs: the two-process split gives exactly what one process gives, and leaves no child."""
import os
import threading
from pathlib import Path

import pytest

from engine.rules import default_rules
from workbook.reading.calamine import read_master
from workbook.writing.row_outputs import can_fork, outputs_for, row_outputs

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the split needs fork")


@pytest.fixture(scope="module")
def rows():
    book = read_master(Path(__file__).resolve().parents[2] / "samples" / "seed-2016.xlsx")
    # the 27 seed rows again and again: every reason the engine has (milestones, ranges, small samples,
    # relative-to-baseline forecasts, rows with findings) on both sides of the split
    return book.rows * 40


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_split_gives_what_one_process_gives(rows, lang):
    rules = default_rules()
    serial = row_outputs(rows, rules, lang)
    split = outputs_for(rows, rules, lang, parallel=True)
    assert split == serial
    assert len(split) == len(rows) and any(out.findings for out in split[len(rows) // 2:])


def test_no_child_is_left_behind(rows):
    outputs_for(rows, default_rules(), "lv", parallel=True)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child of this process exists any more (not even a zombie)


def test_small_tables_stay_in_one_process(rows):
    assert outputs_for(rows[:10], default_rules(), "lv") == row_outputs(rows[:10], default_rules(), "lv")


def test_no_fork_while_another_thread_runs():
    # a lock held by another thread at the fork would stay locked in the child forever
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        assert not can_fork()
    finally:
        release.set()
        worker.join()


def test_the_child_dies_with_its_parent(tmp_path):
    """A parent killed mid-split (SIGKILL) takes its child with it: nothing keeps computing in the background."""
    import signal
    import subprocess
    import sys
    import time

    script = (
        "import os, sys, time\n"
        "from workbook.forked import run_beside\n"
        "def there():\n"
        "    print(os.getpid(), flush=True)\n"
        "    time.sleep(60)\n"
        "run_beside(lambda: time.sleep(60), there)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parents[2])
    child = int(parent.stdout.readline())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    for _ in range(200):  # the kernel delivers the child's SIGKILL at once; allow it a moment to be reaped
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        with open(f"/proc/{child}/stat") as stat:
            if stat.read().split(")")[-1].split()[0] == "Z":  # a zombie: dead, waiting for init to reap it
                break
        time.sleep(0.05)
    else:
        os.kill(child, signal.SIGKILL)
        pytest.fail("the child outlived its parent")
