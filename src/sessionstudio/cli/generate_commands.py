"""generate, use, jobs and engines: parameters come from the engines' declarations, so
the CLI grows with every installed engine without code here.

generate/use queue a job and, unless --no-wait, run it in a worker process right away
and print its progress (the app, when it runs, holds the library and runs jobs itself)."""

import sys

from ..core.errors import InvalidInput
from ..engines.registry import load_registry
from ..jobs.plan import check_generate, queue_generate, queue_use
from ..jobs.queue import find_job, get_job, list_jobs, retry_job
from ..jobs.runner import JobRunner
from ..library import create_session
from .output import emit, when
from .refs import resolve_item, resolve_session


def _params(pairs: list[str] | None) -> dict:
    out = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise InvalidInput(f"--param takes name=value, not {pair!r}.")
        key, value = pair.split("=", 1)
        out[key.strip().replace("-", "_")] = value
    return out


def _run_now(lib, reg, job_id: str, args) -> int:
    runner = JobRunner(lib, reg, concurrency=1, only={job_id})   # this job, nothing queued
    runner.start()
    shown = -1
    try:
        while True:
            job = get_job(lib, job_id)
            if job.finished:
                break
            pct = int(job.progress * 100)
            if pct != shown and not args.json and sys.stderr.isatty():
                print(f"\r{job.title}: {pct:3d}% {job.message[:60]:<60}", end="", file=sys.stderr)
                shown = pct
            runner.wait_idle(timeout=0.2)
    except KeyboardInterrupt:
        runner.cancel(job_id)
        runner.wait_idle(timeout=5)
        raise
    finally:
        runner.stop()
    if shown >= 0:
        print(file=sys.stderr)
    job = get_job(lib, job_id)
    emit(args, job, [f"{job.state}: {job.title}" + (f" — {job.error}" if job.error else "")]
         + [f"  item {i}" for i in job.outputs])
    return 0 if job.state == "done" else 1


def _finish(lib, reg, changes, args) -> int:
    job_id = changes.created[0]
    if args.no_wait:
        emit(args, {"job": job_id}, [f"queued job {job_id}"])
        return 0
    return _run_now(lib, reg, job_id, args)


def generate_cmd(lib, args) -> int:
    reg = load_registry()
    prompt, params = " ".join(args.prompt or []), _params(args.param)
    check_generate(reg, kind=args.kind, prompt=prompt, params=params, engine=args.engine)
    if args.session:
        session_id = resolve_session(lib, args.session)
    else:
        session_id = create_session(lib).created[0]
    changes = queue_generate(lib, reg, session_id=session_id, kind=args.kind, prompt=prompt,
                             params=params, engine=args.engine, seed=args.seed)
    return _finish(lib, reg, changes, args)


def use_cmd(lib, args) -> int:
    reg = load_registry()
    item_id = resolve_item(lib, args.item)
    changes = queue_use(lib, reg, item_id=item_id, action=args.action.replace("-", "_"),
                        prompt=" ".join(args.prompt or []), params=_params(args.param),
                        engine=args.engine, seed=args.seed)
    return _finish(lib, reg, changes, args)


def jobs_ls(lib, args) -> int:
    jobs = list_jobs(lib, session_id=resolve_session(lib, args.session) if args.session else None,
                     limit=args.limit)
    emit(args, jobs, [f"{j.id[-8:]}  {j.state:<11} {int(j.progress * 100):3d}%  {when(j.created_at)}"
                      f"  {j.title}" + (f" — {j.error}" if j.error else "") for j in jobs]
         or ["no jobs"])
    return 0


def jobs_cancel(lib, args) -> int:
    reg = load_registry()
    runner = JobRunner(lib, reg, concurrency=1)
    for ref in args.jobs:
        job = find_job(lib, ref)
        runner.cancel(job.id)
        emit(args, None, [f"cancelled {job.id[-8:]}"])
    return 0


def jobs_retry(lib, args) -> int:
    reg = load_registry()
    job = find_job(lib, args.job)
    retry_job(lib, job.id)
    if args.no_wait:
        emit(args, {"job": job.id}, [f"queued job {job.id}"])
        return 0
    return _run_now(lib, reg, job.id, args)


def engines_cmd(lib, args) -> int:
    reg = load_registry()
    data = [{"engine": e.name, "kind": s.kind, "action": s.id, "title": s.title,
             "output": s.output, "prompt": s.prompt,
             "params": [p.describe() for p in s.params]} for e, s in reg.actions()]
    lines = []
    for e in reg.engines.values():
        lines.append(f"{e.name}: {e.title}")
        for s in e.actions():
            lines.append(f"  {s.kind:<9} {s.id:<16} {s.title}"
                         + (f"  (text: {s.prompt})" if s.prompt else ""))
            for p in s.params:
                extra = f" [{'|'.join(map(str, p.choices))}]" if p.choices else ""
                lines.append(f"      {p.name}={p.default!s}{extra}  {p.help}")
    lines += [f"problem: {msg}" for msg in reg.problems]
    emit(args, {"actions": data, "problems": reg.problems}, lines)
    return 0


def add_parsers(top, add) -> None:
    def job_args(p):
        p.add_argument("prompt", nargs="*", help="the prompt, instruction or text")
        p.add_argument("--param", "-p", action="append", metavar="NAME=VALUE",
                       help="an action parameter (see `sessionstudio engines`); repeatable")
        p.add_argument("--engine", help="the engine to use (default: the first that offers it)")
        p.add_argument("--seed", type=int)
        p.add_argument("--no-wait", action="store_true", help="queue the job and return")

    p = add(top, "generate", generate_cmd, "generate an image, video, music or voiceover",
            writes=True)
    p.add_argument("kind", choices=("image", "video", "music", "voiceover"))
    p.add_argument("--session", help="the session (default: a new one)")
    job_args(p)
    p = add(top, "use", use_cmd, "run a Use action on an item (edit, upscale, extend, ...)",
            writes=True)
    p.add_argument("item")
    p.add_argument("action", help="e.g. edit, recreate, upscale, image_to_video, extend")
    job_args(p)

    jobs = top.add_parser("jobs", help="see, cancel and retry generation jobs").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    p = add(jobs, "ls", jobs_ls, "list jobs, newest first", writes=False)
    p.add_argument("--session")
    p.add_argument("--limit", type=int, default=50)
    p = add(jobs, "cancel", jobs_cancel, "cancel queued or running jobs", writes=True)
    p.add_argument("jobs", nargs="+")
    p = add(jobs, "retry", jobs_retry, "run a failed, cancelled or interrupted job again",
            writes=True)
    p.add_argument("job")
    p.add_argument("--no-wait", action="store_true", help="queue the job and return")
    add(top, "engines", engines_cmd, "list engines, their actions and parameters", writes=False)

