"""Input of the points pages: validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gamification.models import Reward


class AwardForm(forms.Form):
    # A fresh id per rendered form: sending it twice awards once.
    form_id = forms.UUIDField(widget=forms.HiddenInput)
    skill = forms.TypedChoiceField(label=_("Skill"), coerce=int)
    pupils = forms.TypedMultipleChoiceField(
        label=_("Pupils"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, pupils, skills, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].choices = [
            (s.pk, f"{s.name} (+{s.points})") for s in skills
        ]
        self.fields["pupils"].choices = [
            (p.pk, p.full_name or p.username) for p in pupils
        ]


class SkillForm(forms.Form):
    name = forms.CharField(label=_("Skill"), max_length=80)
    points = forms.TypedChoiceField(
        label=_("Points"), coerce=int, choices=[(n, n) for n in range(1, 6)]
    )


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=60)
    pupils = forms.TypedMultipleChoiceField(
        label=_("Members"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupils"].choices = [
            (p.pk, p.full_name or p.username) for p in pupils
        ]


class BuyForm(forms.Form):
    form_id = forms.UUIDField(widget=forms.HiddenInput)


class HideNameForm(forms.Form):
    hide_name = forms.BooleanField(
        label=_("Hide my name on leaderboards"), required=False
    )
    show_name_in_school = forms.BooleanField(
        label=_("Show my name on the whole school's leaderboard"), required=False
    )


class RewardForm(forms.ModelForm):
    class Meta:
        model = Reward
        fields = ["school", "name", "description", "price", "kind", "stock", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["price"].min_value = 1
        self.fields["price"].widget.attrs["min"] = 1
