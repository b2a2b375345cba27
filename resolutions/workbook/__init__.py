"""A delegation's workbook round trip: download an XLSX of its commitments and actions, fill it
offline, upload it, preview every row's outcome, confirm to save it all at once.

layout.py   the sheets, columns and drop-down lists, in the person's language
build.py    the database -> a workbook (openpyxl)
reading.py  an uploaded file -> plain rows, or a refusal saying why; no database
planning.py plain rows + plain current state -> what each row will do; no database
applying.py the current state read from the database, and the plan saved through actions.py
views.py    download, upload with preview, confirm
"""
