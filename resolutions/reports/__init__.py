"""Status reports: one query layer (data.py), one small module per format (pdf, docx, xlsx,
csv) registered in base.EXPORTERS, and the Celery tasks that make large ones in the background.
"""

# base imports every format module at its end; importing it first keeps that order whichever
# module of the package is imported first.
from . import base  # noqa: F401
