import functools
import gzip
import hashlib
from importlib.metadata import version as package_version

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from masar.core import policy
from masar.core.errors import DomainError, StaleEditError
from masar.core.forms import add_field_errors
from masar.core.fragments import CSRF_PLACEHOLDER, FRAGMENT_SECONDS, asked, kept, scoped_key, with_token
from masar.core.pages import next_path
from masar.core.policy import get_for_reader
from masar.core.selectors import audit_trail_for, paginate
from masar.indicators import charts
from masar.indicators.forms import IndicatorFilterForm, MeasurementForm, RejectForm, UploadForm, WeightsForm
from masar.indicators.imports import (
    COLUMN_LABELS,
    Table,
    expected_columns,
    preview_table,
    read_table,
    template_workbook,
)
from masar.indicators.models import Indicator, Measurement
from masar.indicators.pages import FACTS_CACHE_SECONDS, IndicatorFacts
from masar.indicators.periods import period_label
from masar.indicators.selectors import (
    history_page,
    latest_judgements,
    linked_records,
    pending_values,
    review_queue,
    scorecards,
    with_indicators,
)
from masar.indicators.selectors import indicator_list as indicator_list_selector
from masar.indicators.services import (
    ImportRefused,
    MeasurementInvalid,
    measurement_approve,
    measurement_record,
    measurement_reject,
    measurement_submit,
    measurement_update,
    measurements_import,
    scorecard_weights_set,
)
from masar.organizations.models import Organization, OrganizationKind

UPLOAD_MAX_AGE = 3600
HISTORY_PAGE_SIZE = 25  # one period of every governorate; the page stays quick with years of values
INDICATOR_RELATED = ("owner", "numerator", "denominator")


def _upload_salt(indicator, user):
    return f"masar.indicators.upload.{indicator.pk}.{user.pk}"


def indicator_list(request):
    """List the indicators this reader may see, with their latest national value and how it stands.

    Rendered once per reader scope, parameters asked, language, day and data version and kept (masar.core.fragments).
    """
    key = scoped_key(request.user, "indicators", asked(request.GET, [*IndicatorFilterForm.base_fields, "page"]))
    body, status = kept(key, lambda: _indicator_list_body(request))
    return render(request, "indicators/indicator_list.html", {"body": body}, status=status)


def _indicator_list_body(request):
    form = IndicatorFilterForm(request.GET or None, user=request.user)
    status = 200
    if form.is_bound and not form.is_valid():
        indicators = Indicator.objects.none()
        status = 400
    else:
        indicators = indicator_list_selector(request.user, form.to_filters() if form.is_bound else None)
    query = form.cleaned_data.get("q", "") if form.is_bound and status == 200 else ""
    page = paginate(indicators.select_related("owner"), request.GET.get("page"), settings.PAGE_SIZE)
    on_page = Indicator.objects.filter(pk__in=[indicator.pk for indicator in page])
    judgements = latest_judgements(on_page)
    for indicator in page:
        judgement = judgements[indicator.pk]
        indicator.latest_period, indicator.latest_value = judgement.period, judgement.value
        indicator.status = judgement.status
        if indicator.latest_period is not None:
            indicator.latest_label = period_label(indicator.latest_period, indicator.frequency)
    return render_to_string("indicators/_indicator_list_body.html", {"page": page, "q": query}, request), status


def indicator_detail(request, pk):
    """Show an indicator: its chart (values, trajectory band, targets, forecast), regions, links and history.

    What every reader sees alike (IndicatorFacts) is computed only when its cached fragment is missing; the rest of
    the page below the values waiting for a decision is kept per reader scope (`_indicator_body`).
    """
    indicator = get_for_reader(Indicator.objects.select_related(*INDICATOR_RELATED), request.user, pk)
    user = request.user
    can_enter = policy.may_enter_values(user, indicator)
    if request.htmx and request.GET.get("page"):
        history = history_page(indicator, user, request.GET.get("page"), _history_per_page())
        context = {"indicator": indicator, "history": history, "can_enter": can_enter}
        return render(request, "indicators/_history.html", context)
    pending = list(pending_values(indicator, user))
    for measurement in pending:
        measurement.indicator = indicator  # read once above, with whether this reader may change it answered
        measurement.may_decide = policy.may_decide_value(request.reader, measurement)
    context = {
        "indicator": indicator,
        "can_enter": can_enter,
        "pending": pending,
        "body": _indicator_body(request, indicator, can_enter),
    }
    return render(request, "indicators/indicator_detail.html", context)


def _history_per_page():
    """Return how many values a page of history shows (PAGE_SIZE is read when the page is served)."""
    return min(settings.PAGE_SIZE, HISTORY_PAGE_SIZE)


def _indicator_body(request, indicator, can_enter):
    """Return the indicator page's figures, history, links and trail, kept per reader scope and page of history.

    Everything in it follows from what the reader may see and change, so readers of one scope share it
    (`fragments.scoped_key`: scope, language, day, data version). The history's forms (a draft the reader may submit)
    are kept with a placeholder for the CSRF token, replaced by the token of each request.
    """
    user = request.user

    def render_body():
        context = {
            "indicator": indicator,
            "can_enter": can_enter,
            "history": history_page(indicator, user, request.GET.get("page"), _history_per_page()),
            "facts": IndicatorFacts(indicator),
            "facts_seconds": FACTS_CACHE_SECONDS,
            "chart_options": charts.embed_options(),
            "vega_version": vega_version(),
            "trail": audit_trail_for(indicator, user),
            "csrf_token": CSRF_PLACEHOLDER,
            **linked_records(indicator, user),
        }
        return render_to_string("indicators/_indicator_body.html", context, request)

    key = scoped_key(user, "indicator-page", f"{indicator.pk}:{asked(request.GET, ['page'])}")
    body = cache.get_or_set(key, render_body, FRAGMENT_SECONDS)
    return mark_safe(with_token(body, request))  # noqa: S308 - the page's own template, rendered for this reader


def _form_errors(form, errors):
    """Put a value's broken rules beside their fields, named in words when the form does not show the field."""
    add_field_errors(form, errors, model=Measurement)


def _indicator_to_enter(request, pk):
    """Return the indicator whose values this person enters: 404 when unseen or derived from two others, 403 when
    they may not enter its values (`policy.may_enter_values`: e.g. computed from the services catalogue)."""
    indicator = get_for_reader(Indicator.objects.select_related(*INDICATOR_RELATED), request.user, pk, write=True)
    if indicator.is_derived:
        raise Http404
    if not policy.may_enter_values(request.user, indicator):
        raise PermissionDenied
    return indicator


@login_required
def measurement_create(request, pk):
    """Enter a value of an indicator, kept as a draft or sent for approval at once."""
    indicator = _indicator_to_enter(request, pk)
    if request.method == "POST":
        form = MeasurementForm(request.POST, indicator=indicator)
        if form.is_valid():
            try:
                measurement_record(
                    actor=request.user,
                    indicator=indicator,
                    entry=form.entry(),
                    submit=request.POST.get("action") == "submit",
                    source="form",
                )
            except MeasurementInvalid as error:
                _form_errors(form, error.errors)
            else:
                messages.success(request, _("The value was saved."))
                return redirect("indicators-indicator-detail", pk=indicator.pk)
    else:
        form = MeasurementForm(indicator=indicator)
    status = 400 if form.is_bound else 200
    return render(request, "indicators/measurement_form.html", {"indicator": indicator, "form": form}, status=status)


def _measurement_for(request, pk, *, write):
    return get_for_reader(
        Measurement.objects.select_related(
            "indicator",
            "indicator__owner",
            "indicator__numerator",
            "indicator__denominator",
            "region",
            "organization",
            "submitted_by",
        ),
        request.user,
        pk,
        write=write,
    )


@login_required
def measurement_edit(request, pk):
    """Change a draft or rejected value; an approved value is locked and a submitted one waits for its decision."""
    measurement = _measurement_for(request, pk, write=True)
    indicator = measurement.indicator
    if not policy.may_enter_values(request.user, indicator):
        raise PermissionDenied
    if not measurement.is_editable:
        context = {"indicator": indicator, "measurement": measurement}
        return render(request, "indicators/measurement_locked.html", context, status=409)
    stale = None
    if request.method == "POST":
        form = MeasurementForm(request.POST, indicator=indicator, measurement=measurement)
        if form.is_valid():
            try:
                measurement_update(
                    actor=request.user,
                    measurement=measurement,
                    expected_version=form.cleaned_data.get("version") or 0,
                    entry=form.entry(),
                    submit=request.POST.get("action") == "submit",
                )
            except MeasurementInvalid as error:
                _form_errors(form, error.errors)
            except StaleEditError as error:
                stale = error
                form.add_error(None, error.message)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The value was saved."))
                return redirect("indicators-indicator-detail", pk=indicator.pk)
    else:
        form = MeasurementForm(indicator=indicator, measurement=measurement)
    status = 409 if stale else (400 if form.is_bound else 200)
    context = {"indicator": indicator, "form": form, "measurement": measurement, "stale": stale}
    return render(request, "indicators/measurement_form.html", context, status=status)


def _transition_view(request, pk, action):
    measurement = _measurement_for(request, pk, write=True)
    fallback = reverse("indicators-indicator-detail", args=[measurement.indicator_id])
    try:
        action(measurement)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(next_path(request, fallback))


@login_required
@require_POST
def measurement_submit_view(request, pk):
    """Send a draft value for approval."""

    def submit(measurement):
        measurement_submit(actor=request.user, measurement=measurement)
        messages.success(request, _("The value was sent for approval."))

    return _transition_view(request, pk, submit)


@login_required
@require_POST
def measurement_approve_view(request, pk):
    """Approve a submitted value; if someone decided first, say who."""

    def approve(measurement):
        measurement_approve(actor=request.user, measurement=measurement)
        messages.success(request, _("The value was approved; its period is now locked."))

    return _transition_view(request, pk, approve)


@login_required
def measurement_reject_view(request, pk):
    """Reject a submitted value with the reason its author will read."""
    measurement = _measurement_for(request, pk, write=True)
    if not policy.may_decide_value(request.reader, measurement):
        raise PermissionDenied
    if request.method == "POST":
        form = RejectForm(request.POST)
        if form.is_valid():
            try:
                measurement_reject(actor=request.user, measurement=measurement, reason=form.cleaned_data["reason"])
            except MeasurementInvalid as error:
                _form_errors(form, error.errors)
            except DomainError as error:
                messages.error(request, error.message)
                return redirect("indicators-indicator-detail", pk=measurement.indicator_id)
            else:
                messages.success(request, _("The value was rejected and sent back with your reason."))
                return redirect(
                    next_path(request, reverse("indicators-indicator-detail", args=[measurement.indicator_id]))
                )
    else:
        form = RejectForm()
    status = 400 if form.is_bound else 200
    context = {
        "measurement": measurement,
        "indicator": measurement.indicator,
        "form": form,
        "next": next_path(request, ""),
    }
    return render(request, "indicators/measurement_reject.html", context, status=status)


@login_required
def measurement_upload(request, pk):
    """Upload a spreadsheet of values: preview every row with its errors, then save all rows or none."""
    indicator = _indicator_to_enter(request, pk)
    columns = [(COLUMN_LABELS[key], required) for key, required in expected_columns(indicator)]
    context = {"indicator": indicator, "columns": columns, "form": UploadForm()}
    salt = _upload_salt(indicator, request.user)
    if request.method != "POST":
        return render(request, "indicators/upload.html", context)
    if "payload" in request.POST:
        try:
            data = signing.loads(request.POST["payload"], salt=salt, max_age=UPLOAD_MAX_AGE)
        except signing.BadSignature:
            context["refusal"] = _("This preview has expired or was altered: upload the file again.")
            return render(request, "indicators/upload.html", context, status=400)
        table = Table.from_data(data)
        try:
            created = measurements_import(
                actor=request.user,
                indicator=indicator,
                table=table,
                submit=request.POST.get("action") == "submit",
                source=f"upload: {table.filename}"[:200],
            )
        except ImportRefused as error:
            context.update(refusal=error.message, errors=error.errors, filename=table.filename)
            return render(request, "indicators/upload.html", context, status=400)
        messages.success(
            request,
            ngettext(
                "%(count)s value from %(file)s was saved.", "%(count)s values from %(file)s were saved.", len(created)
            )
            % {"count": len(created), "file": table.filename},
        )
        return redirect("indicators-indicator-detail", pk=indicator.pk)
    form = UploadForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return render(request, "indicators/upload.html", context, status=400)
    try:
        table = read_table(form.cleaned_data["file"], indicator)
    except ImportRefused as error:
        context.update(refusal=error.message, errors=error.errors)
        return render(request, "indicators/upload.html", context, status=400)
    preview = preview_table(indicator, table)
    context.update(preview=preview, filename=table.filename)
    if preview.errors:
        context.update(refusal=ImportRefused.default_message, errors=preview.errors)
        return render(request, "indicators/upload.html", context, status=400)
    context["payload"] = signing.dumps(table.as_data(), salt=salt, compress=True)
    return render(request, "indicators/upload.html", context)


def upload_template(request, pk):
    """Download an empty spreadsheet with the columns this indicator's upload expects, in the reader's language."""
    indicator = get_for_reader(Indicator.objects.all(), request.user, pk)
    response = HttpResponse(
        template_workbook(indicator),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{indicator.code}-values.xlsx"'
    return response


@login_required
def review(request):
    """List the submitted values this person may approve or reject."""
    page = paginate(review_queue(request.user), request.GET.get("page"), settings.PAGE_SIZE)
    return render(request, "indicators/review.html", {"page": page})


def scorecard_league(request):
    """Rank the ministries by the weighted attainment of their indicators against their trajectories."""
    cards = scorecards(request.user)
    return render(request, "indicators/league.html", {"cards": cards, "status_labels": charts.status_labels()})


def _ministry(pk):
    return get_object_or_404(Organization, pk=pk, kind=OrganizationKind.MINISTRY)


def scorecard_detail(request, pk):
    """Show a ministry's scorecard: each indicator's weight, latest value, expected value, status and attainment."""
    ministry = _ministry(pk)
    cards = scorecards(request.user)
    card = with_indicators(next((c for c in cards if c.ministry.pk == ministry.pk), None))
    context = {
        "ministry": ministry,
        "card": card,
        "ministries": len([c for c in cards if c.rank]),
        "status_labels": charts.status_labels(),
        "can_weigh": policy.may_set_weights(request.reader),
    }
    return render(request, "indicators/scorecard.html", context)


@login_required
def scorecard_weights(request, pk):
    """Let the national delivery unit set the weights of a ministry's indicators; stale weights are refused."""
    if not policy.may_set_weights(request.reader):
        raise PermissionDenied
    ministry = _ministry(pk)
    cards = scorecards(request.user, ministry=ministry)
    lines = with_indicators(cards[0]).lines if cards else []
    stale = None
    if request.method == "POST":
        form = WeightsForm(request.POST, lines=lines)
        if form.is_valid():
            try:
                scorecard_weights_set(actor=request.user, weights=form.weights())
            except StaleEditError as error:
                stale = error
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The weights were saved."))
                return redirect("indicators-scorecard-detail", pk=ministry.pk)
    else:
        form = WeightsForm(lines=lines)
    status = 409 if stale else (400 if form.is_bound else 200)
    return render(request, "indicators/weights.html", {"ministry": ministry, "form": form}, status=status)


# The Vega bundle ---------------------------------------------------------------------------------


@functools.cache
def vega_version():
    return package_version("vl-convert-python")


@functools.cache
def _bundle():
    from vl_convert import javascript_bundle

    data = javascript_bundle().encode("utf-8")
    return data, gzip.compress(data, compresslevel=6), '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def vega_bundle(request, version):
    """Serve Vega, Vega-Lite and vega-embed from vl-convert, cached for a year: the address names the version."""
    if version != vega_version():
        raise Http404
    data, compressed, etag = _bundle()
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified()
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(compressed, content_type="text/javascript; charset=utf-8")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(data, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["ETag"] = etag
    response["Vary"] = "Accept-Encoding"
    return response
