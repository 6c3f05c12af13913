"""Safety checks on what participants write: crisis-risk detection."""

from wzt_bot.domain.safety.crisis import CrisisDetector, RiskKind, RiskMatch

__all__ = ["CrisisDetector", "RiskKind", "RiskMatch"]
