"""Library documents (Wagtail documents): what may be uploaded, who may download."""
