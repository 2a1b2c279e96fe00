"""The weekly timetable in the Wagtail admin: its form and the views that keep the
dated lessons in line after a line is added, changed or removed."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic

from school.admin_policy import SchoolScopedForm, ScopedViewMixin
from school.models import ClassGroup
from school.timetable import services
from school.timetable.forms import WEEKDAYS


class WeeklySlotForm(SchoolScopedForm):
    weekday = forms.TypedChoiceField(label=_("weekday"), choices=WEEKDAYS, coerce=int)

    def clean(self):
        cleaned = super().clean()
        needed = ("class_group", "weekday", "slot", "subject", "teacher")
        if all(cleaned.get(name) is not None for name in needed):
            try:
                services.weekly_slot_check(
                    class_group=cleaned["class_group"],
                    weekday=cleaned["weekday"],
                    slot=cleaned["slot"],
                    subject=cleaned["subject"],
                    teacher=cleaned["teacher"],
                    exclude_pk=self.instance.pk,
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


def weekday_label(weekly_slot) -> str:
    return str(dict(WEEKDAYS).get(weekly_slot.weekday, weekly_slot.weekday))


class WeeklySlotCreateView(generic.CreateView):
    def save_instance(self):
        instance = super().save_instance()
        services.weekly_pattern_apply(class_group=instance.class_group)
        return instance


class WeeklySlotEditView(ScopedViewMixin, generic.EditView):
    def save_instance(self):
        before = self.form.initial.get("class_group")
        instance = super().save_instance()
        classes = ClassGroup.objects.filter(pk__in={before, instance.class_group_id})
        for class_group in classes:
            services.weekly_pattern_apply(class_group=class_group)
        return instance


class WeeklySlotDeleteView(ScopedViewMixin, generic.DeleteView):
    def delete_action(self):
        services.weekly_slot_delete(weekly_slot=self.object, by=self.request.user)
