"""Fixtures for the running bot (filled in with the app)."""
