"""Images placed on a board: uploaded, checked and re-encoded, then served.

STUB: to be written (issue "5 of 7", point 3).
"""

from django.http import HttpResponse


def board_image_upload(request, board_id: int):
    return HttpResponse(status=501)


def board_image(request, board_id: int, image_id: int):
    return HttpResponse(status=501)
