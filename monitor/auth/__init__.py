"""Accounts: argon2 passwords, users, login throttling, API tokens, the first admin."""
