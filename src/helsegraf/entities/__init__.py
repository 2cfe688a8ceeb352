"""Actors, laws, reports and patient groups: the curated catalogue, and finding their mentions in the texts."""
