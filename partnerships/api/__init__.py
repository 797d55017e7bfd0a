"""The JSON API of the directory (partnerships, collectivities, regions, domains, actions)."""
