"""Waar heb ik recht op? Explanations per topic, a checklist, and a request to the team."""
