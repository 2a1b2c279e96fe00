"""H5P games in the Wagtail admin: upload, listing, rename, delete, chooser.

The views only adapt Wagtail to the services in packages.py; who may do what is
the permission policy in admin_policy.py (built on access.py), and a row the
person may not change is a 404.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.log_actions import log
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets

from lessons.h5p import access
from lessons.h5p.admin_policy import H5PPackagePermissionPolicy
from lessons.h5p.archive import PackageRefused
from lessons.h5p.forms import H5PPackageTitleForm, H5PPackageUploadForm
from lessons.h5p.models import H5PPackage
from lessons.h5p.packages import (
    h5p_package_delete,
    h5p_package_title_set,
    h5p_package_upload,
)

UPLOAD_PANEL = ObjectList(
    [FieldPanel("file"), FieldPanel("title")], base_form_class=H5PPackageUploadForm
).bind_to_model(H5PPackage)


class H5PPackageIndexView(snippets.IndexView):
    """Offers edit and delete only on the rows this person may change."""

    def get_edit_url(self, instance):
        if access.can_change_package(self.request.user, instance):
            return super().get_edit_url(instance)
        return None

    def get_delete_url(self, instance):
        if access.can_change_package(self.request.user, instance):
            return super().get_delete_url(instance)
        return None


class H5PPackageCreateView(snippets.CreateView):
    def form_valid(self, form):
        try:
            self.object = h5p_package_upload(
                user=self.request.user,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data.get("title") or "",
            )
        except PackageRefused as refused:
            form.add_error("file", refused)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
        log(instance=self.object, action="wagtail.create", user=self.request.user)
        response = self.save_action()
        return self.run_after_hook() or response


class OwnPackageMixin:
    """Loads a package only for its uploader or a platform administrator."""

    def get_object(self, queryset=None):
        package = super().get_object(queryset)
        if not access.can_change_package(self.request.user, package):
            raise Http404("No such game.")
        return package


class H5PPackageEditView(OwnPackageMixin, snippets.EditView):
    def save_instance(self):
        h5p_package_title_set(
            package=self.object,
            user=self.request.user,
            title=self.form.cleaned_data["title"],
        )
        log(instance=self.object, action="wagtail.edit", user=self.request.user)
        return self.object


class H5PPackageDeleteView(OwnPackageMixin, snippets.DeleteView):
    def delete_action(self):
        log(instance=self.object, action="wagtail.delete", user=self.request.user)
        h5p_package_delete(package=self.object, user=self.request.user)


class H5PPackageViewSet(snippets.SnippetViewSet):
    model = H5PPackage
    icon = "media"
    menu_label = _("H5P games")
    menu_name = "h5p-games"
    add_to_admin_menu = True
    menu_order = 250
    index_view_class = H5PPackageIndexView
    add_view_class = H5PPackageCreateView
    edit_view_class = H5PPackageEditView
    delete_view_class = H5PPackageDeleteView
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "title",
        "content_type",
        "main_library",
        "license",
        "authors",
        "size_bytes",
        "uploaded_by",
        "uploaded_at",
    ]
    list_display = [
        "title",
        "content_type",
        "license",
        Column("author_names", label=_("authors")),
        "uploaded_by",
        "uploaded_at",
    ]
    list_filter = ["content_type"]
    edit_handler = ObjectList(
        [FieldPanel("title")], base_form_class=H5PPackageTitleForm
    )

    def get_queryset(self, request):
        return H5PPackage.objects.select_related("uploaded_by")

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(
            panel=UPLOAD_PANEL, form_class=UPLOAD_PANEL.get_form_class(), **kwargs
        )


register_permission_policy(H5PPackage, H5PPackagePermissionPolicy(H5PPackage))
register_snippet(H5PPackageViewSet)
