"""A board after (and during) the lesson: pages as PNG, the board as PDF.

STUB: to be written (issue "5 of 7", point 5).
"""

from django.http import HttpResponse


def board_view(request, board_id: int):
    return HttpResponse(status=501)


def board_page_png(request, board_id: int, page_id: str):
    return HttpResponse(status=501)


def board_pdf(request, board_id: int):
    return HttpResponse(status=501)
