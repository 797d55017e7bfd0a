from django.urls import path

from . import editing

# The staff area, mounted under gestion/ (repertoire/urls.py).
urlpatterns = [
    path("", editing.staff_home, name="staff_home"),
    path("partenariats/nouveau/", editing.partnership_edit, name="staff_partnership_create"),
    path(
        "partenariats/<slug:slug>/modifier/",
        editing.partnership_edit,
        name="staff_partnership_edit",
    ),
    path(
        "partenariats/<slug:slug>/historique/",
        editing.partnership_history,
        name="staff_partnership_history",
    ),
    path(
        "partenariats/<slug:slug>/historique/<int:history_id>/retablir/",
        editing.partnership_revert,
        name="staff_partnership_revert",
    ),
    path("collectivites/recherche/", editing.collectivity_search, name="staff_collectivity_search"),
    path(
        "collectivites/<slug:slug>/modifier/",
        editing.collectivity_edit,
        name="staff_collectivity_edit",
    ),
    path("a-verifier/", editing.review_queue, name="staff_review_queue"),
    path("a-verifier/<int:pk>/resoudre/", editing.review_resolve, name="staff_review_resolve"),
    path("verifications/", editing.unverified_list, name="staff_unverified"),
]
