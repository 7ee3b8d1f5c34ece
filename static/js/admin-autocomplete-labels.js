"use strict";
// The admin's autocomplete fields (Select2) name their combobox only by the value chosen,
// so an empty field has no accessible name at all (axe: aria-input-field-name) and a filled
// one does not say what it is; inside it, the value is marked as a second, nameless, read-only
// text field. Name each combobox by its field's label and its value, and let the value be
// plain text.
{
    const label = (select) => {
        const found = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
        if (found && !found.id) {
            found.id = `${select.id}_label`;
        }
        return found;
    };

    const nameComboboxes = (root) => {
        root.querySelectorAll("select.admin-autocomplete").forEach((select) => {
            const fieldLabel = label(select);
            const container = select.nextElementSibling;
            const combobox = container && container.querySelector(".select2-selection[role=combobox]");
            if (!fieldLabel || !combobox) {
                return;
            }
            const value = combobox.querySelector(".select2-selection__rendered");
            if (value) {
                value.removeAttribute("role");
                value.removeAttribute("aria-readonly");
            }
            combobox.setAttribute("aria-labelledby", [fieldLabel.id, value && value.id].filter(Boolean).join(" "));
        });
    };

    // Queued after the admin's own ready handler (autocomplete.js), which creates the widgets.
    if (window.django && window.django.jQuery) {
        window.django.jQuery(() => nameComboboxes(document));
        document.addEventListener("formset:added", (event) => nameComboboxes(event.target));
    }
}
