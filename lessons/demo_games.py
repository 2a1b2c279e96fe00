"""The demo city's H5P games: packages built from our own sample sources.

`demo_games_ensure()` uploads each sample in DEMO_GAMES through the real upload
path (checks, extraction, the library store) as the platform administrator, once:
a package already uploaded under its h5p.json title is reused. The library seed
then places the games in lessons (`LessonSpec.games`).
"""

import json

from django.core.files.base import ContentFile

from lessons.h5p.builder import CONTENT, package_build
from lessons.h5p.models import H5PPackage
from lessons.h5p.packages import h5p_package_upload
from school.models import User

DEMO_GAMES = ("fractions-choice", "fractions-multi", "fractions-true-false")


def _title(sample: str) -> str:
    return json.loads((CONTENT / sample / "h5p.json").read_text("utf-8"))["title"]


def demo_games_ensure() -> dict[str, H5PPackage]:
    """Sample name → its package; empty without a platform administrator.

    Runs outside a transaction: an upload moves files into place itself.
    """
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin is None:
        return {}
    games = {}
    for sample in DEMO_GAMES:
        title = _title(sample)
        games[sample] = H5PPackage.objects.filter(
            title=title
        ).first() or h5p_package_upload(
            user=admin, upload=ContentFile(package_build(sample), name=f"{sample}.h5p")
        )
    return games
