from django.urls import path

from . import figures, views

# The pages of the directory; the map and figures pages add theirs from partnerships/figures.py.
urlpatterns = [
    path("", views.home, name="home"),
    path("partenariats/", views.partnership_list, name="partnership_list"),
    path(
        "partenariats/export.csv",
        views.partnership_export,
        {"fmt": "csv"},
        name="partnership_export_csv",
    ),
    path(
        "partenariats/export.json",
        views.partnership_export,
        {"fmt": "json"},
        name="partnership_export_json",
    ),
    path("partenariats/<slug:slug>/", views.partnership_detail, name="partnership_detail"),
    path("actions/", views.action_list, name="action_list"),
    path("partenariats/<slug:slug>/signaler/", views.partnership_report, name="partnership_report"),
    path("collectivites/", views.collectivity_list, name="collectivity_list"),
    path("collectivites/<slug:slug>/", views.collectivity_detail, name="collectivity_detail"),
    path("regions/", views.region_list, name="region_list"),
    path("regions/<slug:slug>/", views.region_detail, name="region_detail"),
    path("repertoire.pdf", views.repertoire_pdf, name="repertoire_pdf"),
    path("regions/<slug:slug>/repertoire.pdf", views.repertoire_pdf, name="region_repertoire_pdf"),
    path("domaines/", views.domain_list, name="domain_list"),
    path("domaines/<slug:slug>/", views.domain_detail, name="domain_detail"),
    # The pages of the footer: who publishes, accessibility, personal data, licence, contact.
    path("mentions-legales/", views.trust_page, {"page": "legal"}, name="legal_notice"),
    path("accessibilite/", views.trust_page, {"page": "accessibility"}, name="accessibility"),
    path("donnees-personnelles/", views.trust_page, {"page": "privacy"}, name="privacy_notice"),
    path("licence/", views.trust_page, {"page": "licence"}, name="data_licence"),
    path("contact/", views.trust_page, {"page": "contact"}, name="contact"),
]

urlpatterns += figures.urlpatterns
