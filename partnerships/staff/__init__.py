"""The staff area: editing fiches and collectivities, history and revert, review queue."""
