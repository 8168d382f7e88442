"""The case workflow as plain service functions, usable without the web layer.

``permissions`` decides who may see and do what; ``workflow`` performs audited transitions;
``queue`` and ``case_view`` read what the pages and the API show; ``exports`` and ``stats``
feed the CSV downloads and the dashboard.
"""
