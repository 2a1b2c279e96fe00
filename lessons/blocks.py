"""StreamField blocks of a lesson page.

Quiz answers and teacher notes live in the page's stored JSON; pupils' pages and
the public API render the body through `pupil_safe_body` so they never see them.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

RICH_TEXT_FEATURES = [
    "h3",
    "h4",
    "bold",
    "italic",
    "ol",
    "ul",
    "link",
    "superscript",
    "subscript",
]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "lessons/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    """A video file uploaded to the document library (played by the browser)."""

    video = DocumentChooserBlock(label=_("Video file"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=255)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "lessons/blocks/video.html"


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"), max_length=255)
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)


class QuestionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Question"), max_length=500)
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("choice", _("Choose answers")), ("short", _("Short answer"))],
        default="choice",
    )
    choices = blocks.ListBlock(ChoiceBlock(), label=_("Choices"), required=False)
    accepted_answers = blocks.ListBlock(
        blocks.CharBlock(max_length=255),
        label=_("Accepted short answers"),
        required=False,
        help_text=_("Compared ignoring case and extra spaces."),
    )
    time_limit = blocks.IntegerBlock(
        label=_("Time limit, seconds"), min_value=5, max_value=600, default=30
    )

    def clean(self, value):
        value = super().clean(value)
        if value["kind"] == "choice":
            if len(value["choices"]) < 2:
                raise StructBlockValidationError(
                    block_errors={
                        "choices": ValidationError(_("Give at least two choices."))
                    }
                )
            if not any(choice["correct"] for choice in value["choices"]):
                raise StructBlockValidationError(
                    block_errors={
                        "choices": ValidationError(
                            _("Mark at least one choice as correct.")
                        )
                    }
                )
        elif not [answer for answer in value["accepted_answers"] if answer.strip()]:
            raise StructBlockValidationError(
                block_errors={
                    "accepted_answers": ValidationError(
                        _("Give at least one accepted answer.")
                    )
                }
            )
        return value


class QuizBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=255)
    questions = blocks.ListBlock(QuestionBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "help"
        label = _("Quiz")
        template = "lessons/blocks/quiz.html"


class StarterPageBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Page title"), max_length=255)
    background = ImageChooserBlock(label=_("Background image"), required=False)


class WhiteboardStarterBlock(blocks.StructBlock):
    """Pages a live whiteboard starts with (used by the live lesson)."""

    pages = blocks.ListBlock(StarterPageBlock(), label=_("Whiteboard pages"), min_num=1)

    class Meta:
        icon = "doc-empty"
        label = _("Whiteboard starter")
        template = "lessons/blocks/whiteboard_starter.html"


class TeacherNotesBlock(blocks.RichTextBlock):
    class Meta:
        icon = "warning"
        label = _("Teacher-only notes")
        template = "lessons/blocks/teacher_notes.html"


class HomeworkSuggestionBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Task"))
    due_in_days = blocks.IntegerBlock(
        label=_("Due in days"), min_value=1, max_value=30, default=2
    )

    class Meta:
        icon = "edit"
        label = _("Homework suggestion")
        template = "lessons/blocks/homework_suggestion.html"


class H5PBlock(blocks.StructBlock):
    """An H5P game from the snippet library, played by pupils of the class."""

    package = SnippetChooserBlock("lessons.H5PPackage", label=_("H5P game"))
    title = blocks.CharBlock(
        label=_("Title shown to pupils"), required=False, max_length=255
    )

    class Meta:
        icon = "pick"
        label = _("H5P game")
        template = "lessons/blocks/h5p.html"


class LessonBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"), max_length=255, form_classname="title"
    )
    paragraph = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentChooserBlock(label=_("Document"))
    quiz = QuizBlock()
    whiteboard_starter = WhiteboardStarterBlock()
    teacher_notes = TeacherNotesBlock(features=RICH_TEXT_FEATURES)
    homework_suggestion = HomeworkSuggestionBlock()
    h5p = H5PBlock()


TEACHER_ONLY_BLOCKS = frozenset({"teacher_notes"})
