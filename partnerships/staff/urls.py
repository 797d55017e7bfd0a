from django.urls import path

from . import updates, views

# The staff area, mounted under gestion/ (repertoire/urls.py).
urlpatterns = [
    path("", views.staff_home, name="staff_home"),
    path("partenariats/nouveau/", views.partnership_edit, name="staff_partnership_create"),
    path(
        "partenariats/<slug:slug>/modifier/",
        views.partnership_edit,
        name="staff_partnership_edit",
    ),
    path(
        "partenariats/<slug:slug>/historique/",
        views.partnership_history,
        name="staff_partnership_history",
    ),
    path(
        "partenariats/<slug:slug>/historique/<int:history_id>/retablir/",
        views.partnership_revert,
        name="staff_partnership_revert",
    ),
    path("collectivites/recherche/", views.collectivity_search, name="staff_collectivity_search"),
    path(
        "collectivites/<slug:slug>/modifier/",
        views.collectivity_edit,
        name="staff_collectivity_edit",
    ),
    path("a-verifier/", views.review_queue, name="staff_review_queue"),
    path("a-verifier/<int:pk>/resoudre/", views.review_resolve, name="staff_review_resolve"),
    path("verifications/", views.unverified_list, name="staff_unverified"),
    # Partners' own updates (staff/updates.py).
    path("mises-a-jour/", updates.update_campaign, name="staff_update_campaign"),
    path(
        "partenariats/<slug:slug>/lien-partenaire/",
        updates.send_link,
        name="staff_update_send",
    ),
    path("mises-a-jour/liens/<int:pk>/annuler/", updates.revoke_link, name="staff_update_revoke"),
    path(
        "mises-a-jour/propositions/<int:pk>/",
        updates.proposal_review,
        name="staff_proposal_review",
    ),
]
