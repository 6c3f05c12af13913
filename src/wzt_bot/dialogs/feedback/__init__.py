"""Feedback surveys."""
