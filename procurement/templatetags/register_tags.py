from django import template

register = template.Library()

# Menu sections of the register and the URL names (in namespace "procurement") that belong to them.
SECTIONS = {
    "work": ("work_list", "follow_up_plan", "radar", "option_"),
    "procurement": ("procurement_",),
    "contract": ("contract_",),
    "followup": ("followup_",),
    "supplier": ("supplier_",),
    "activity": ("information_", "competence_", "dialogue_"),
}


@register.simple_tag(takes_context=True)
def register_section(context):
    """The register's menu section of the current page ('' outside the register)."""
    match = getattr(context.get("request"), "resolver_match", None)
    if match is None or "procurement" not in match.namespaces:
        return ""
    name = match.url_name or ""
    return next((section for section, prefixes in SECTIONS.items() if name.startswith(prefixes)), "index")
