"""Fault scenarios: the real `wzt-bot` processes killed, their database or Redis taken away."""
