"""Status reports: what a report covers (scope.py, read by a form), the one row source and the
gathered report (data.py), one small module per format (pdf, docx, xlsx, csv) listed in
registry.py, and the Celery tasks that make large ones in the background (tasks.py).
"""
