"""Run jobs that depend on one another, up to ``max_jobs`` at the same time.

The benchmark runner gives one job per run (entry x seed) whose
dependencies are the runs whose checkpoints it loads; a job starts as soon
as none of its dependencies is waiting or running, the earliest in the list
first, so the start order is the list's order wherever dependencies allow.
A dependency that failed still counts as done: the dependent job itself
reports what it lacks (the runner writes a ``failed`` record naming it).
"""
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from typing import Any, Callable, FrozenSet, Hashable, List, NamedTuple, Optional, Sequence

__all__ = ['Job', 'run_jobs']


class Job(NamedTuple):
    """``func()`` once every job whose ``key`` is in ``deps`` has ended.

    Keys in ``deps`` that name no job of the list hold nothing back.
    """
    key: Hashable
    deps: FrozenSet[Hashable]
    func: Callable[[], Any]


def _check_order(jobs: Sequence[Job]):
    """Keys unique; every dependency listed before the job that has it."""
    keys = [job.key for job in jobs]
    if len(set(keys)) != len(keys):
        raise ValueError(f'job keys are not unique: {keys}')
    position = {key: i for i, key in enumerate(keys)}
    for i, job in enumerate(jobs):
        late = [dep for dep in job.deps if position.get(dep, -1) >= i]
        if late:
            raise ValueError(f'job {job.key!r} depends on {late}, listed at or after it')


def run_jobs(jobs: Sequence[Job], max_jobs: int = 1,
             on_interrupt: Optional[Callable[[], None]] = None) -> List[Any]:
    """Run ``jobs`` (a dependency order) and return their results in list order.

    With ``max_jobs == 1`` the jobs run one after another in the calling
    thread, in list order.  With more, each job runs in a worker thread (its
    work is expected to wait on subprocesses) as soon as its dependencies
    have ended and fewer than ``max_jobs`` jobs are running.

    A job that raises stops new jobs from starting; the running ones are
    waited for and the first exception is raised.  An interrupt
    (``KeyboardInterrupt``) while waiting calls ``on_interrupt`` (which should
    make the running jobs end), waits for them and is raised again.
    """
    if int(max_jobs) < 1:
        raise ValueError(f'max_jobs must be at least 1, got {max_jobs!r}')
    _check_order(jobs)
    if max_jobs == 1:
        return [job.func() for job in jobs]
    results = [None] * len(jobs)
    waiting = list(range(len(jobs)))
    not_ended = {job.key for job in jobs}
    running, error = {}, None
    with ThreadPoolExecutor(max_workers=max_jobs,
                            thread_name_prefix='benchmark-run') as pool:
        try:
            while waiting or running:
                if error is None:
                    for i in [i for i in waiting if not jobs[i].deps & not_ended]:
                        if len(running) >= max_jobs:
                            break
                        waiting.remove(i)
                        running[pool.submit(jobs[i].func)] = i
                if not running:  # stopped by an error (a dependency order never stalls)
                    break
                ended, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in ended:
                    i = running.pop(future)
                    not_ended.discard(jobs[i].key)
                    if future.exception() is not None:
                        error = error or future.exception()
                    else:
                        results[i] = future.result()
        except KeyboardInterrupt:
            if on_interrupt is not None:
                on_interrupt()
            wait(running)
            raise
    if error is not None:
        raise error
    return results
