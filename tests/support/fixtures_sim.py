"""Fixtures for the SeekrFlow simulator (filled in with the simulator)."""
