"""A private MEDIA_ROOT for package tests, and what is in it."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile


def media_root_prepare(settings, tmp_path: Path) -> Path:
    """A fresh MEDIA_ROOT with the H5P store's layout, as after a first upload."""
    settings.MEDIA_ROOT = tmp_path / "media"
    for folder in ("content", "libraries"):
        (settings.MEDIA_ROOT / "h5p" / folder).mkdir(parents=True)
    return settings.MEDIA_ROOT


def listing(root: Path) -> set[str]:
    """Every file and folder under `root`, relative."""
    return {str(path.relative_to(root)) for path in root.rglob("*")}


def h5p_upload(data: bytes, name: str = "game.h5p") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")
