from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from masar.core import policy
from masar.core.forms import ArabicDigitsMixin, FilterableSelect, MonthField, TypedDecimalField, localized_labels
from masar.core.models import Classification
from masar.core.policy import levels_from, rank
from masar.core.templatetags.masar import fmt_date
from masar.decisions.models import Meeting
from masar.delivery.models import CONFIDENCE_DEFINITIONS, Confidence, DeliverySettings, Obstacle
from masar.organizations.models import Organization


class ConfidenceSelect(forms.RadioSelect):
    option_template_name = "delivery/_confidence_option.html"

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        option["definition"] = CONFIDENCE_DEFINITIONS.get(option["value"], "")
        return option


class UpdateForm(ArabicDigitsMixin, forms.Form):
    """A monthly progress update; each milestone not yet reached gets a date field."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    period = MonthField(label=_("Month reported on"))
    percent_complete = TypedDecimalField(label=_("Percent complete"), min_value=0, max_value=100, decimal_places=2)
    spend_to_date = TypedDecimalField(label=_("Spend to date"), min_value=0, decimal_places=2, max_digits=16)
    declared_confidence = forms.ChoiceField(
        label=_("Your delivery confidence"), choices=Confidence.choices, widget=ConfidenceSelect
    )
    narrative = forms.CharField(label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, milestones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.milestones = list(milestones)
        for milestone in self.milestones:
            # The planned date in the page's language, isolated so it keeps its order inside Arabic text.
            planned = format_html("<bdi>{}</bdi>", fmt_date(milestone.planned_date, "medium"))
            self.fields[f"milestone_{milestone.pk}"] = forms.DateField(
                label=mark_safe(
                    conditional_escape(_("%(milestone)s reached on (planned %(planned)s)"))
                    % {"milestone": conditional_escape(milestone.name), "planned": planned}
                ),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
        if self.is_bound and "confirm_figures" in self.data:
            self.ask_confirmation()

    def ask_confirmation(self):
        """Show the box by which the person confirms figures that look unusual."""
        if "confirm_figures" not in self.fields:
            self.fields["confirm_figures"] = forms.BooleanField(
                label=_("I confirm these figures"),
                required=False,
                help_text=_("The figures above look unusual; check them, then confirm they are right."),
            )

    def figures_confirmed(self):
        return bool(self.is_bound and self.cleaned_data.get("confirm_figures"))

    def milestone_dates(self):
        return {
            m.pk: self.cleaned_data.get(f"milestone_{m.pk}")
            for m in self.milestones
            if self.cleaned_data.get(f"milestone_{m.pk}")
        }


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Why is it returned?"), widget=forms.Textarea(attrs={"rows": 3}))


class BaselineRequestForm(ArabicDigitsMixin, forms.Form):
    planned_start = forms.DateField(
        label=_("Planned start"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    planned_end = forms.DateField(
        label=_("Planned end"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    planned_budget = TypedDecimalField(
        label=_("Planned budget"), min_value=0, decimal_places=2, max_digits=16, required=False
    )
    reason = forms.CharField(
        label=_("Reason for re-baselining"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, milestones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.milestones = list(milestones)
        for milestone in self.milestones:
            self.fields[f"milestone_{milestone.pk}"] = forms.DateField(
                label=milestone.name,
                required=False,
                initial=milestone.planned_date,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )

    def milestone_dates(self):
        return {m.pk: self.cleaned_data.get(f"milestone_{m.pk}") for m in self.milestones}


class BaselineDecisionForm(forms.Form):
    note = forms.CharField(label=_("Reason for the decision"), widget=forms.Textarea(attrs={"rows": 2}))


class ObstacleForm(ArabicDigitsMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Obstacle
        fields = [
            "category",
            "severity",
            "description",
            "proposed_solution",
            "must_act",
            "due_date",
            "status",
            "classification",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "proposed_solution": forms.Textarea(attrs={"rows": 3}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "must_act": FilterableSelect,
        }

    def __init__(self, *args, project, reader, **kwargs):
        super().__init__(*args, **kwargs)
        # Internal material: never below its project's classification; public only if the national unit says so.
        levels = levels_from(project.classification)
        if not policy.may_publish(reader):
            levels = [level for level in levels if level != Classification.PUBLIC]
        if self.instance.pk and self.instance.classification not in levels:
            levels.insert(0, self.instance.classification)  # kept as the national unit published it
        self.fields["classification"] = forms.ChoiceField(
            label=_("Classification"),
            choices=[(level, Classification(level).label) for level in levels],
            initial=max(Classification.RESTRICTED, project.classification, key=rank),
        )
        must_act = localized_labels(self.fields["must_act"])
        # The bodies of the project's own government: the tree under the top ancestor of its owner.
        root = project.owner.ancestor_ids()[0]
        must_act.queryset = Organization.objects.filter(path__startswith=f"/{root}/").order_by("path")
        must_act.widget.filter_label = must_act.label
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def _post_clean(self):
        pass  # the service validates the model


class EscalateForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.visible_to(user)
        localized_labels(self.fields["meeting"])


class DeliverySettingsForm(ArabicDigitsMixin, forms.ModelForm):
    """The delivery unit's settings; the version they were opened at travels along to refuse stale edits."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = DeliverySettings
        fields = [
            "schedule_green_days",
            "schedule_amber_green_days",
            "schedule_amber_days",
            "schedule_amber_red_days",
            "cost_green_ratio",
            "cost_amber_green_ratio",
            "cost_amber_ratio",
            "cost_amber_red_ratio",
            "freshness_amber_green_days",
            "freshness_amber_days",
            "update_due_day",
            "tolerance_on_track",
            "tolerance_at_risk",
            "rebaseline_cap",
            "plausibility_jump_points",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance is not None:
            self.initial["version"] = self.instance.version


class ObstacleCommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}))
