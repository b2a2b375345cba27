"""The benchmark: realistic data at sizes S, M and L, and what pages, exports and digests cost
on it. Run as `python -m bench` (see __main__.py) or `make bench`; not part of the installed
application."""
