"""The Wagtail document form, with the file checked by its bytes."""

from wagtail.documents.forms import BaseDocumentForm

from lessons.documents.content import document_file_check


class LibraryDocumentForm(BaseDocumentForm):
    """Used by every document upload of the admin, single and multiple
    (settings.WAGTAILDOCS_DOCUMENT_FORM_BASE)."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None or "file" not in self.changed_data:
            return upload
        return document_file_check(upload)
