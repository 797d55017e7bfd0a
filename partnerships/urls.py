from django.urls import path

from . import views

# The pages of the directory; the map and figures pages add theirs from partnerships/figures.py.
urlpatterns = [
    path("", views.home, name="home"),
]

try:
    from .figures import urlpatterns as figures_urlpatterns
except ImportError:  # the figures module arrives with the map and charts
    figures_urlpatterns = []

urlpatterns += figures_urlpatterns
