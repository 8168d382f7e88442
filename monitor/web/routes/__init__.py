"""Routers, one per area: auth, account, queue, cases, dashboard, admin, report, API v1."""
