"""What the pages read: a fixed number of queries each, whatever the size of the data.

One module per page or list (dashboard, commitment, matrix, review queue, search), with what they
share: page numbers (paging), filters read from query strings (filters), URLs built without a
reversal per row (links). Nothing here imports from `resolutions.views`: views call these and
make responses (tests/test_layering.py holds that).
"""
