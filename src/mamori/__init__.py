"""Mamori (守り): find, fix, verify and govern security vulnerabilities, with evidence."""

from mamori.errors import Error, ExitCode

__version__ = "0.1.0"

__all__ = ["Error", "ExitCode", "__version__"]
