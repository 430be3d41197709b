from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Contact, County, Municipality, Phone, Region


class PhoneForm(forms.ModelForm):
    """Shows a stored number the way editors write it (031-392 90 31), not in E.164."""

    class Meta:
        model = Phone
        fields = ["number", "kind", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["number"] = self.instance.display


class PhoneInline(admin.TabularInline):
    model = Phone
    form = PhoneForm
    extra = 1
    fields = ["number", "kind", "order"]
    verbose_name = _("telefonnummer")
    verbose_name_plural = _("telefonnummer (ett eller flera)")


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "title",
        "kind",
        "is_nspm",
        "email",
        "region_list",
        "order",
        "published",
    ]
    list_editable = ["order", "published"]
    list_filter = ["published", "kind", "is_nspm", "regions"]
    search_fields = ["name", "title", "email", "organisation", "unit"]
    ordering = ["order", "name"]
    inlines = [PhoneInline]
    filter_horizontal = ["regions"]
    view_on_site = True
    fieldsets = [
        (None, {"fields": ["kind", "name", "title", "organisation", "unit", "is_nspm", "email"]}),
        (_("På engelska"), {"fields": ["title_en", "organisation_en", "unit_en"]}),
        (_("Regionkoordinator"), {"fields": ["regions"]}),
        (_("Visning"), {"fields": ["slug", "order", "published"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("regions")

    @admin.display(description=_("regionkoordinator för"))
    def region_list(self, obj):
        return ", ".join(r.name for r in obj.regions.all()) or "–"


class RegionAdminForm(forms.ModelForm):
    """Region with the counties it covers: moving a county here takes it from its old region."""

    counties = forms.ModelMultipleChoiceField(
        label=_("län"),
        queryset=County.objects.order_by("name"),
        required=False,
        widget=FilteredSelectMultiple(_("län"), is_stacked=False),
        help_text=_(
            "Länen regionen omfattar. Ett län hör alltid till högst en region: väljer du ett "
            "län som hör till en annan region flyttas det hit. Kommunerna i länen får regionens "
            "koordinatorer i sökningen direkt."
        ),
    )

    class Meta:
        model = Region
        fields = ["name", "name_en", "slug", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["counties"].initial = list(self.instance.counties.all())


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    form = RegionAdminForm
    list_display = ["name", "county_list", "coordinator_count", "order"]
    list_editable = ["order"]
    search_fields = ["name", "counties__name"]
    ordering = ["order", "name"]
    prepopulated_fields = {"slug": ["name"]}
    view_on_site = True

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("counties", "contacts")

    @admin.display(description=_("län"))
    def county_list(self, obj):
        return ", ".join(c.name for c in obj.counties.all())

    @admin.display(description=_("antal regionkoordinatorer"))
    def coordinator_count(self, obj):
        return len(obj.contacts.all())

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        chosen = list(form.cleaned_data["counties"])
        region = form.instance
        for county in County.objects.filter(region=region).exclude(pk__in=[c.pk for c in chosen]):
            county.region = None
            county.save()
        for county in chosen:
            if county.region_id != region.pk:
                county.region = region
                county.save()


@admin.register(County)
class CountyAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "region"]
    list_editable = ["region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]
    ordering = ["code"]
    fields = ["code", "name", "region"]

    def get_readonly_fields(self, request, obj=None):
        # Codes and names are SCB's; only the region is an editorial choice.
        return ["code", "name"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "county"]
    list_filter = ["county"]
    search_fields = ["name", "code"]
    ordering = ["name"]
    list_select_related = ["county"]
    view_on_site = True

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
