"""What each process keeps in memory between requests, built before the first one.

The personal-data masker (partnerships/privacy.py, from every contact's name) and the facets'
index (partnerships/facetindex.py) are each built once per process and kept current after;
at 100,000 partnerships each takes about 2 s to build, which the first reader of each new
worker would otherwise wait for. gunicorn.conf.py builds them as a worker starts; the tests
build them before counting a request's queries, as on a running site.
"""

from partnerships import facetindex, privacy


def warm_up(using="default"):
    privacy.current_masker()
    facetindex.current(using)
