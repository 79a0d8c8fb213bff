"""People and their roles: the ``RoleGrant`` model, the ``Actor`` that
decides who may do what, and the ``grant`` command."""
