from django.core.exceptions import ValidationError


def apply_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, field by field where possible."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                for message in error.messages:
                    form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


WIDGET_CLASSES = {
    "textarea": "utrecht-textarea",
    "select": "utrecht-select utrecht-select--html-select",
    "checkbox": "utrecht-checkbox utrecht-checkbox--html-input",
    # Each box of a multiple choice: a checkbox, not a text box (was full width and 2.75rem high).
    "checkboxselectmultiple": "utrecht-checkbox utrecht-checkbox--html-input",
    # The --html-input modifier carries the :checked style; without it a picked radio looks empty.
    "radioselect": "utrecht-radio-button utrecht-radio-button--html-input",
}


class NLDesignFormMixin:
    """Gives widgets the NL Design System (Utrecht) classes and links errors for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            kind = field.widget.__class__.__name__.lower().replace("input", "")
            css = WIDGET_CLASSES.get(kind, "utrecht-textbox utrecht-textbox--html-input")
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{self.add_prefix(name)}_help"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                described = widget.attrs.get("aria-describedby", "")
                widget.attrs["aria-describedby"] = (
                    f"{described} id_{self.add_prefix(name)}_fout".strip()
                )
