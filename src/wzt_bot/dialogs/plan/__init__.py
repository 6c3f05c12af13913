"""Words to the team from Mijn plan."""
