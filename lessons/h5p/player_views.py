"""The H5P player pages. STUB — to be written (helper B)."""

from django.http import Http404


def games(request):
    """A pupil's games: the H5P blocks of the lessons attached to their class."""
    raise Http404


def play(request, page_id: int, lesson_id: int, block_id: str):
    """The host page: the confined player frame, relaying statements and state."""
    raise Http404


def frame(request, directory):
    """The sandboxed frame document that runs h5p-standalone for a package."""
    raise Http404
