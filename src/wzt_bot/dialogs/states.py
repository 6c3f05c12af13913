from aiogram.fsm.state import State, StatesGroup


class OnboardingSG(StatesGroup):
    language = State()
    intro = State()
    privacy = State()
    consent = State()


class LanguageSG(StatesGroup):
    choose = State()
