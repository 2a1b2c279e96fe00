"""The school structure in the Wagtail admin (one admin for the whole platform)."""

from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from school.admin_policy import (
    SchoolScopedForm,
    SchoolStructurePermissionPolicy,
    ScopedViewMixin,
)
from school.models import (
    AcademicYear,
    ClassGroup,
    Enrolment,
    Guardianship,
    LessonSlot,
    School,
    Subject,
    TeachingAssignment,
    Term,
    WeeklySlot,
)
from school.timetable.wagtail_views import (
    WeeklySlotCreateView,
    WeeklySlotDeleteView,
    WeeklySlotEditView,
    WeeklySlotForm,
    weekday_label,
)

STRUCTURE_MODELS = [
    School,
    AcademicYear,
    Term,
    Subject,
    ClassGroup,
    Enrolment,
    TeachingAssignment,
    Guardianship,
    LessonSlot,
    WeeklySlot,
]

# Registered before any viewset asks, or Wagtail falls back to model permissions.
for _model in STRUCTURE_MODELS:
    register_permission_policy(_model, SchoolStructurePermissionPolicy(_model))


def _scoped(view_class):
    return type(f"Scoped{view_class.__name__}", (ScopedViewMixin, view_class), {})


class StructureViewSet(ModelViewSet):
    """A model of the school structure, scoped to the editor's schools."""

    add_to_admin_menu = False
    index_view_class = _scoped(generic.IndexView)
    edit_view_class = _scoped(generic.EditView)
    delete_view_class = _scoped(generic.DeleteView)
    copy_view_class = _scoped(generic.CopyView)
    inspect_view_class = _scoped(generic.InspectView)
    history_view_class = _scoped(generic.HistoryView)
    usage_view_class = _scoped(generic.UsageView)
    copy_view_enabled = False
    inspect_view_enabled = True

    form_base = SchoolScopedForm

    def get_form_class(self, for_update=False):
        return modelform_factory(
            self.model,
            form=self.form_base,
            formfield_callback=self.formfield_for_dbfield,
            fields=self.form_fields,
        )


class SchoolViewSet(StructureViewSet):
    model = School
    icon = "home"
    form_fields = ["external_id", "name", "short_name", "address"]
    list_display = ["short_name", "name", "external_id"]
    search_fields = ["name", "short_name", "external_id"]


class AcademicYearViewSet(StructureViewSet):
    model = AcademicYear
    icon = "date"
    form_fields = ["school", "name", "starts_on", "ends_on"]
    list_display = ["name", "school", "starts_on", "ends_on"]
    list_filter = ["school"]


class TermViewSet(StructureViewSet):
    model = Term
    icon = "calendar"
    form_fields = ["academic_year", "name", "starts_on", "ends_on"]
    list_display = ["name", "academic_year", "starts_on", "ends_on"]


class SubjectViewSet(StructureViewSet):
    model = Subject
    icon = "tag"
    form_fields = ["code", "name"]
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class ClassGroupViewSet(StructureViewSet):
    model = ClassGroup
    icon = "group"
    form_fields = ["school", "academic_year", "grade", "letter", "homeroom_teacher"]
    list_display = ["name", "school", "academic_year", "homeroom_teacher"]
    list_filter = ["school", "grade"]


class EnrolmentViewSet(StructureViewSet):
    model = Enrolment
    icon = "user"
    form_fields = ["pupil", "class_group", "starts_on", "ends_on"]
    list_display = ["pupil", "class_group", "starts_on", "ends_on"]
    search_fields = ["pupil__last_name", "pupil__first_name"]


class TeachingAssignmentViewSet(StructureViewSet):
    model = TeachingAssignment
    icon = "doc-full"
    form_fields = ["teacher", "class_group", "subject"]
    list_display = ["teacher", "class_group", "subject"]
    list_filter = ["subject"]
    search_fields = ["teacher__last_name", "subject__name"]


class GuardianshipViewSet(StructureViewSet):
    model = Guardianship
    icon = "link"
    form_fields = ["parent", "pupil"]
    list_display = ["parent", "pupil"]
    search_fields = ["parent__last_name", "pupil__last_name"]


class LessonSlotViewSet(StructureViewSet):
    model = LessonSlot
    icon = "time"
    form_fields = ["school", "number", "starts_at", "ends_at"]
    list_display = ["__str__", "school"]


class WeeklySlotViewSet(StructureViewSet):
    """Saving or deleting a line brings the future dated lessons in line with it."""

    model = WeeklySlot
    icon = "table"
    form_base = WeeklySlotForm
    add_view_class = WeeklySlotCreateView
    edit_view_class = WeeklySlotEditView
    delete_view_class = WeeklySlotDeleteView
    form_fields = ["class_group", "weekday", "slot", "subject", "teacher", "room"]
    list_display = [
        "class_group",
        Column("weekday", label=_("weekday"), accessor=weekday_label),
        "slot",
        "subject",
        "teacher",
        "room",
    ]
    search_fields = ["subject__name", "teacher__last_name", "room"]


class SchoolStructureGroup(ModelViewSetGroup):
    menu_label = _("School structure")
    menu_icon = "home"
    menu_order = 100
    items = [
        SchoolViewSet,
        AcademicYearViewSet,
        TermViewSet,
        SubjectViewSet,
        ClassGroupViewSet,
        EnrolmentViewSet,
        TeachingAssignmentViewSet,
        GuardianshipViewSet,
        LessonSlotViewSet,
        WeeklySlotViewSet,
    ]


@hooks.register("register_admin_viewset")
def register_school_structure():
    return SchoolStructureGroup()


# The roster pages live in their own sub-package; Wagtail only looks here.
import school.rosters.wagtail_hooks  # noqa: E402, F401
