"""Partners update their own fiche: a personal link by e-mail, a simple form, a proposal that
staff accept field by field (partnerships/staff/updates.py)."""
