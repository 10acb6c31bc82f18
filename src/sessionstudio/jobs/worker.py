"""The worker process: runs one engine request and reports over a pipe.

Messages to the parent: ("progress", fraction, text), ("done", [output dicts]),
("cancelled",), ("error", text). The worker never touches the catalog: outputs are
files in its scratch dir, which the parent imports, so a killed worker cannot leave a
half-written item. It exits by itself when its parent disappears (kill -9 of the app)."""

import os
import threading
import time
import traceback
from dataclasses import asdict
from pathlib import Path

PROGRESS_INTERVAL = 0.1      # seconds between progress messages: the pipe is not a log


def _watch_parent(app_pid: int) -> None:
    # The direct parent may be the forkserver, which outlives nothing but the app: watch
    # both the app's pid and a change of parent (reparenting once the server exits).
    from ..store.lock import _pid_alive   # os.kill(pid, 0) would terminate it on Windows
    first_parent = os.getppid()
    while True:
        alive = _pid_alive(app_pid) and os.getppid() == first_parent
        if not alive:
            os._exit(3)      # orphaned: nobody will import the result
        time.sleep(0.5)


def child_main(conn, spec: dict, parent_pid: int, cancel_event) -> None:
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    from ..core.errors import Cancelled, StudioError
    from ..engines.protocol import InputFile, Request, RunContext
    from ..engines.registry import load_registry

    last = [0.0]

    def progress(fraction: float, message: str = "") -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_INTERVAL or fraction >= 1.0:
            last[0] = now
            conn.send(("progress", float(fraction), str(message)))

    try:
        req = spec["request"]
        files = {k: (InputFile(**{**v, "path": Path(v["path"])}) if v else None)
                 for k, v in (("source", req["source"]),)}
        request = Request(kind=req["kind"], action=req["action"], prompt=req["prompt"],
                          params=req["params"], seed=req["seed"], source=files["source"],
                          extras=[InputFile(**{**e, "path": Path(e["path"])})
                                  for e in req["extras"]])
        engine = load_registry().get(spec["engine"])
        scratch = Path(spec["scratch"])
        (scratch / "worker.pid").write_text(str(os.getpid()))   # for crash diagnostics
        ctx = RunContext(progress=progress, cancelled=cancel_event.is_set, scratch=scratch)
        outputs = engine.run(request, ctx)
        if cancel_event.is_set():
            raise Cancelled()
        conn.send(("done", [_output_dict(o) for o in outputs]))
    except Cancelled:
        conn.send(("cancelled",))
    except StudioError as exc:
        conn.send(("error", str(exc)))
    except MemoryError:
        conn.send(("error", "The engine ran out of memory. Try a smaller size or length."))
    except Exception as exc:  # noqa: BLE001 - reported to the user, details to stderr
        traceback.print_exc()
        conn.send(("error", f"The engine failed: {type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _output_dict(out) -> dict:
    d = asdict(out)
    d["path"] = str(out.path)
    d["frames"] = [(role, str(path)) for role, path in out.frames]
    return d
