from django import template

from ..views import items_about

register = template.Library()


@register.inclusion_tag("workshops/_items_list.html", takes_context=True)
def workshop_items_about(context, partnership=None, collectivity=None):
    """The workshop items about a partnership or a collectivity (a fixed number of queries)."""
    return {
        "groups": items_about(partnership=partnership, collectivity=collectivity),
        "show": context["request"].user.is_authenticated,
        "request": context["request"],
    }
