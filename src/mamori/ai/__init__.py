"""Governed model access: backends, redaction, routing, budgets, prompts, circuit breaker, usage.

Nothing here runs unless ``[ai]`` is configured in ``mamori.toml``; see ``docs/ai.md``.
"""
