"""Fixtures for the fake Slack Web API (filled in with it)."""
