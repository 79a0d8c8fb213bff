"""The HTTP API (``/api/``): its routes, token access, schemas, reads and
writes, the ``ApiToken`` model and its admin, and the ``create_token`` command."""
