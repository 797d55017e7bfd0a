"""The one answer to a malformed request from a page: a 400 naming each parameter at fault.

The API answers the same errors as JSON (DRF's ValidationError, from the same
filters.parameter_errors); a page answers this HTML. Never a 500, never a silent fallback.
"""

from django.shortcuts import render


def bad_request(request, errors):
    """``errors``: {parameter: [messages]} (a form's or FilterSet's errors will do)."""
    rows = [(name, " ".join(str(m) for m in messages)) for name, messages in errors.items()]
    return render(request, "400.html", {"errors": rows}, status=400)
