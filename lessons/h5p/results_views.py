"""xAPI intake, resume state and the teacher's results. STUB — helper C."""

from django.http import Http404


def statement_receive(request, page_id: int, lesson_id: int, block_id: str):
    raise Http404


def state(request, page_id: int, lesson_id: int, block_id: str):
    raise Http404


def results(request, lesson_id: int, block_id: str):
    raise Http404


def counts_set(request, lesson_id: int, block_id: str):
    raise Http404


def gradebook_send(request, lesson_id: int, block_id: str):
    raise Http404
