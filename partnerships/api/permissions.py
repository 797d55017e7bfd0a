"""Who may do what through the API: anyone reads, signed-in staff with the model's rights write."""

from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions


class StaffWriteOrReadOnly(DjangoModelPermissions):
    """Reads for everyone; writes for staff holding the Django permission (add, change, delete).

    An anonymous write is refused with 401 (DRF answers so when no authenticator succeeded), a
    signed-in caller without staff status or without the permission with 403.
    """

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        if not (user and user.is_authenticated and user.is_staff):
            return False
        return super().has_permission(request, view)
