"""Two requests at once, on real threads and real connections: for the tests that two simultaneous writes of
the same thing answer a success and a success or a refusal, never 500.

``at_once`` posts each request from its own thread and client, released together. ``meet_before`` makes each
writer wait, just before a model's save, until the others reach the same point (or two seconds pass): two
writers that read the same state both get there first and then both write, the race a lock must prevent. With
the lock, the second writer waits on it instead, the first carries on after the two seconds, and the second
then reads what the first wrote."""

import threading

from django.db import connections
from django.test import Client

WAIT = 2.0


def at_once(requests: list[tuple]) -> list:
    """Post each (user, url, data) from its own thread at the same moment; returns the responses in order (a
    request that raised is returned as the exception)."""
    clients = []
    for user, _, _ in requests:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    start = threading.Barrier(len(requests))
    answers: list = [None] * len(requests)

    def post(n):
        _, url, data = requests[n]
        try:
            start.wait()
            answers[n] = clients[n].post(url, data)
        except Exception as exc:  # noqa: BLE001 - handed back to the test to show
            answers[n] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def meet_before(monkeypatch, model, parties: int = 2) -> None:
    """Each save of ``model`` waits for ``parties`` saves to be under way (or WAIT seconds) before it writes."""
    barrier = threading.Barrier(parties, timeout=WAIT)
    real = model.save

    def save(self, *args, **kwargs):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        return real(self, *args, **kwargs)

    monkeypatch.setattr(model, "save", save)


def statuses(answers) -> list:
    return [getattr(answer, "status_code", answer) for answer in answers]
