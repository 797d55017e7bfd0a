"""What each process keeps in memory between requests.

The personal-data masker (partnerships/privacy.py, from every contact's name) and the facets'
index (partnerships/facetindex.py) are each built once per process and kept current after;
at 100,000 partnerships each takes about 2 s to build, which the first reader of each new
worker who needs them would otherwise wait for alone. gunicorn.conf.py builds them in a thread
as a worker starts; the tests build them before counting a request's queries, as on a running
site.
"""

from partnerships import facetindex, privacy


def warm_up(using="default"):
    privacy.current_masker()
    facetindex.current(using)
