from django import forms
from django.utils.translation import gettext_lazy as _

from school.models import AttendanceStatus, User


class DateInput(forms.DateInput):
    input_type = "date"


class AbsenceNoticeForm(forms.Form):
    pupil = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Child"))
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(label=_("Until (inclusive)"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), max_length=255)

    def __init__(self, *args, parent: User, **kwargs):
        super().__init__(*args, **kwargs)
        children = User.objects.filter(guardians__parent=parent, is_active=True)
        self.fields["pupil"].queryset = children.order_by("first_name")
        self.fields["pupil"].label_from_instance = lambda pupil: pupil.full_name


class RegisterForm(forms.Form):
    pupil = forms.IntegerField()
    status = forms.ChoiceField(choices=AttendanceStatus.choices)
