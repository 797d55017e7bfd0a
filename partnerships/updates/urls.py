from django.urls import path

from . import views

# Mounted under mise-a-jour/ (repertoire/urls.py): the partner's page, opened with the token.
urlpatterns = [
    path("<str:token>/", views.partner_update, name="partner_update"),
]
