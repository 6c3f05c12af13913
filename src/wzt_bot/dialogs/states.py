from aiogram.fsm.state import State, StatesGroup


class OnboardingSG(StatesGroup):
    language = State()
    intro = State()
    privacy = State()
    consent = State()


class LanguageSG(StatesGroup):
    choose = State()


class CheckinSG(StatesGroup):
    topics = State()
    note = State()
    went_well = State()
    contact = State()


class CheckinSettingsSG(StatesGroup):
    main = State()
    day = State()
    daypart = State()
    snooze = State()


class ConcernSG(StatesGroup):
    topic = State()
    compose = State()
    preview = State()


class PlanWordsSG(StatesGroup):
    """A few words to the team from Mijn plan: a question, a request for help, an answer to
    a new plan version, or the participant's view before an evaluation."""

    compose = State()


class FeedbackSG(StatesGroup):
    """A feedback survey: what it is and who sees it, then one question per message."""

    intro = State()
    question = State()
    why = State()  # the optional "why" after a button answer
    share = State()  # may the participant's own words be read (without a name)?


class ComplaintSG(StatesGroup):
    choose = State()
    decision = State()  # which decision: VDAB's "no" to taking part, or the eindadvies
    reconsider = State()  # heroverweging (decree Art. 10)
    advice = State()  # the eindadvies is the team's advice (Art. 23), not a VDAB decision
    about_team = State()
    steps = State()
    anonymous = State()
    compose = State()
    preview = State()


class RightsSG(StatesGroup):
    """Waar heb ik recht op? The topics (a checklist), one explanation, the request."""

    topics = State()
    topic = State()
    preview = State()
