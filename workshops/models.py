# The workshop models (meeting notes linked to partnerships) arrive with their own issue.
