from django import forms
from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.formfields import ADMIN_FORMFIELD_OVERRIDES

from . import hours
from .context_processors import status_display
from .loader import build_snapshot
from .models import Alternative, Helpline, HoursException, WeeklyHours

# A plain box without the clock shortcuts: seven rows of two times each are typed, not picked.
# It shows the time as the format module's first form, "09.00".
TIME_WIDGET = forms.TimeInput(attrs={"size": 6})


class WeeklyHoursInline(admin.TabularInline):
    model = WeeklyHours
    fields = ["weekday", "opens", "closes"]
    readonly_fields = ["weekday"]
    formfield_overrides = {
        **ADMIN_FORMFIELD_OVERRIDES,
        models.TimeField: {**ADMIN_FORMFIELD_OVERRIDES[models.TimeField], "widget": TIME_WIDGET},
    }
    extra = 0
    max_num = 7
    can_delete = False
    verbose_name = _("veckodag")
    verbose_name_plural = _(
        "Öppettider per veckodag (töm båda tiderna för stängt; helgdagar är alltid stängda "
        "om inget undantag säger annat)"
    )

    def has_add_permission(self, request, obj=None):
        return False  # the seven weekdays exist from the start


class AlternativeInline(admin.TabularInline):
    model = Alternative
    fields = ["order", "text", "text_en", "number"]
    formfield_overrides = ADMIN_FORMFIELD_OVERRIDES
    extra = 0
    verbose_name = _("alternativ")
    verbose_name_plural = _("Vem besökare kan ringa när stödtelefonen är stängd")


class HelplineForm(forms.ModelForm):
    class Meta:
        model = Helpline
        fields = ["name", "name_en", "number_display"]


@admin.register(Helpline)
class HelplineAdmin(SimpleHistoryAdmin):
    form = HelplineForm
    formfield_overrides = ADMIN_FORMFIELD_OVERRIDES
    list_display = ["name", "number_display", "status_now"]
    search_fields = ["name", "number_display"]
    ordering = ["pk"]
    fields = ["name", "name_en", "number_display", "number_e164", "status_now"]
    readonly_fields = ["number_e164", "status_now"]
    inlines = [WeeklyHoursInline, AlternativeInline]

    @admin.display(description=_("status just nu"))
    def status_now(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        now = timezone.now()
        schedule = build_snapshot().schedule
        return status_display(hours.status_at(now, schedule), now) if schedule else "–"

    def has_add_permission(self, request):
        # One helpline: the site shows the first; a second would never be seen.
        return super().has_add_permission(request) and not Helpline.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False  # without it no page could show the number from the database


class UpcomingFilter(admin.SimpleListFilter):
    title = _("period")
    parameter_name = "nar"

    def lookups(self, request, model_admin):
        return [("kommande", _("Pågående och kommande")), ("passerade", _("Passerade"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "kommande":
            return queryset.filter(end_date__gte=today)
        if self.value() == "passerade":
            return queryset.filter(end_date__lt=today)
        return queryset


class HoursExceptionForm(forms.ModelForm):
    class Meta:
        model = HoursException
        fields = ["start_date", "end_date", "kind", "opens", "closes", "note", "note_en"]
        widgets = {"opens": TIME_WIDGET, "closes": TIME_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The site has one helpline; editors never choose it, but the overlap check needs it.
        if self.instance.helpline_id is None:
            helpline = Helpline.objects.current()
            if helpline is not None:
                self.instance.helpline = helpline

    def clean(self):
        cleaned = super().clean()
        if self.instance.helpline_id is None:
            raise forms.ValidationError(
                _("Det finns ingen stödtelefon att lägga undantaget på. Skapa den först.")
            )
        return cleaned


@admin.register(HoursException)
class HoursExceptionAdmin(SimpleHistoryAdmin):
    form = HoursExceptionForm
    formfield_overrides = ADMIN_FORMFIELD_OVERRIDES
    list_display = ["start_date", "end_date", "kind", "hours_display", "note"]
    list_filter = [UpcomingFilter, "kind"]
    search_fields = ["note"]
    ordering = ["-start_date"]
    date_hierarchy = "start_date"
    fieldsets = [
        (None, {"fields": ["start_date", "end_date", "kind"]}),
        (
            _("Särskilda öppettider"),
            {
                "fields": ["opens", "closes"],
                "description": _("Fyll bara i om typen är ”Särskilda öppettider”."),
            },
        ),
        (None, {"fields": ["note", "note_en"]}),
    ]

    @admin.display(description=_("öppet"))
    def hours_display(self, obj):
        return obj.hours_display
