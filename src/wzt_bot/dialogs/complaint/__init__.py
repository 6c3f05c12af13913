"""Klacht: what the participant wants, the complaints steps, and filing a complaint."""
