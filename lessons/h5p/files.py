"""Serving H5P package, library and player files. STUB — to be written (helper B)."""

from django.http import Http404


def serve(request, path: str):
    raise Http404
