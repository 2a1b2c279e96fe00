"""Pictures placed on a board: uploaded by whoever may draw on it right now, shown
to whoever may open it.

The board's script uploads a picture here and puts the URL it gets back into the
board's "assets"; the picture is then fetched from that URL by every screen.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST, require_safe

from whiteboard import access, images
from whiteboard.models import Board, BoardImage
from whiteboard.selectors import board_pen_holders

# A picture opened in its own tab may run nothing and load nothing.
IMAGE_CSP = {"default-src": [CSP.NONE], "sandbox": True}
# A stored picture never changes (a new upload gets a new id).
CACHE_SECONDS = 365 * 24 * 60 * 60
STATUS = {"too_large": 413}


def _error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": code, "message": message}, status=status)


def board_image_json(image: BoardImage) -> dict:
    return {
        "id": image.pk,
        "url": reverse("whiteboard:board_image", args=[image.board_id, image.pk]),
        "mimeType": image.mime_type,
        "width": image.width,
        "height": image.height,
    }


@require_POST
@login_required
def board_image_upload(request, board_id: int):
    """Multipart field "file" → 201 {"id", "url", "mimeType", "width", "height"};
    refusals are {"error": code, "message": text} with 400, 403, 404 or 413."""
    found = access.get_board_mode_for_user(request.user, board_id)
    if found is None:
        return _error("not_found", _("This board was not found."), 404)
    board, mode = found
    holders = board_pen_holders(board_id=board.pk)
    if not access.may_edit(mode, request.user.pk, holders):
        return _error(
            "forbidden", _("Only those who may draw on the board add pictures."), 403
        )
    upload = request.FILES.get("file")
    if upload is None:
        return _error("no_file", _("Choose a picture to add."), 400)
    try:
        image = images.board_image_upload(board=board, user=request.user, upload=upload)
    except images.ImageRefused as refused:
        return _error(refused.code, refused.message, STATUS.get(refused.code, 400))
    except Board.DoesNotExist:
        return _error("not_found", _("This board was not found."), 404)
    return JsonResponse(board_image_json(image), status=201)


@require_safe
@login_required
@csp_override(IMAGE_CSP)
def board_image(request, board_id: int, image_id: int):
    """The stored picture, to anyone who may open the board; 404 for everyone
    else, as for a missing picture or one of another board."""
    if access.get_board_mode_for_user(request.user, board_id) is None:
        raise Http404
    image = images.board_image_find(board_id=board_id, image_id=image_id)
    if image is None:
        raise Http404
    try:
        handle = image.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    extension = "png" if image.mime_type == "image/png" else "jpg"
    response = FileResponse(
        handle,
        content_type=image.mime_type,
        filename=f"board-{board_id}-{image.pk}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, max_age=CACHE_SECONDS, immutable=True)
    return response
