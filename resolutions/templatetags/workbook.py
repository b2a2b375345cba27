from django import template

from .. import permissions

register = template.Library()


@register.inclusion_tag("workbook/_link.html", takes_context=True)
def workbook_link(context, member):
    """The link to a nation's workbook, for those who may download it."""
    user = context["request"].user
    return {"member": member, "shown": permissions.can_download_workbook(user, member)}
