"""The review web app and API (FastAPI, server-rendered Jinja2, hand-written CSS and JS).

Entry points: :func:`monitor.web.app.create_app` and :func:`monitor.web.server.serve_in_thread`.
"""
