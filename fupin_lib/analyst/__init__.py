"""The analysts' everyday questions, one line each (issue 22): a figure over periods (series),
the raw rows behind clean rows for authorised users (lookup), tables to Excel with Chinese
headers (export), SQL over the store (sql), and the Lab's set-up (lab).

This layer sits above figures/ and the store, beside reports/; fupin_lib/__init__.py exports
its functions.
"""
