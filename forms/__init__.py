"""WTForms forms."""
