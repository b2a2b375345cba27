"""Words that make a password easy to guess here (ASVS 6.1.2 and 6.2.11): the organisation's and
the tool's names. Django's own validators cover length, common passwords and the person's name."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CONTEXT_WORDS = (
    "nato",
    "otan",
    "parliamentary",
    "assembly",
    "assemblee",
    "commitment",
    "tracker",
    "resolution",
    "delegation",
    "secretariat",
)


class ContextWordsValidator:
    """Refuses a password that is little more than context words (with digits or symbols):
    fewer than six letters of its own once they are taken out."""

    def __init__(self, words=CONTEXT_WORDS):
        self.words = words

    def validate(self, password, user=None):
        letters = "".join(ch for ch in password.lower() if ch.isalpha())
        found = [word for word in self.words if word in letters]
        rest = letters
        for word in found:
            rest = rest.replace(word, "")
        if found and len(rest) < 6:
            raise ValidationError(
                _("This password is too close to “%(word)s”: choose words of your own."),
                code="password_context_word",
                params={"word": found[0]},
            )

    def get_help_text(self):
        return _("Your password cannot be built around the Assembly’s or the tracker’s name.")
