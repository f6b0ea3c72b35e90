"""User-facing errors: the CLI prints them as one line and exits non-zero."""


class GaitposeError(Exception):
    """A mistake in the user's input (file, field, value); message is one clear line."""
