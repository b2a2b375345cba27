"""The base of the models' choices: a value's label in one place."""

from django.db import models


class Choices(models.TextChoices):
    """TextChoices that also give {value: label} (what pages draw by the hundred)."""

    @classmethod
    def labels_by_value(cls) -> dict[str, str]:
        return dict(cls.choices)

    @classmethod
    def label_of(cls, value: str) -> str:
        """The label of `value`, or the value itself when it is not one of the choices."""
        return str(cls.labels_by_value().get(value, value))
