"""Input of the timetable pages; validation only, the services decide the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from school.models import ClassGroup, LessonSlot, Role, Term, User
from school.timetable.services import TOPIC_MAX_LENGTH

WEEKDAYS = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]


class TopicForm(forms.Form):
    topic = forms.CharField(
        label=_("Topic"),
        max_length=TOPIC_MAX_LENGTH,
        required=False,
        error_messages={
            "max_length": _("A topic has at most %(limit_value)d characters.")
        },
    )


class SubstituteForm(forms.Form):
    substitute = forms.ModelChoiceField(
        label=_("Substitute teacher"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— the lesson's own teacher —"),
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = User.objects.filter(
            schools=school, role_grants__role=Role.TEACHER, is_active=True
        ).order_by("last_name", "first_name")


class MoveForm(forms.Form):
    date = forms.DateField(
        label=_("New date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    slot = forms.ModelChoiceField(label=_("Lesson"), queryset=LessonSlot.objects.none())

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = LessonSlot.objects.filter(school=school)


class GenerateForm(forms.Form):
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.none())

    def __init__(self, *args, class_group: ClassGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.filter(
            academic_year_id=class_group.academic_year_id
        )


class FeedCreateForm(forms.Form):
    """Whose timetable: empty for one's own, a child's id for a parent."""

    pupil = forms.IntegerField(required=False, min_value=1)
