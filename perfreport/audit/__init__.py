"""The audit trail: the ``AuditEvent`` model and ``trail``, which records
every change in the transaction that makes it."""
