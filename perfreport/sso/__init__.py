"""Single sign-on with OpenID Connect: the provider's groups mapped to roles
and scopes, re-applied at every sign-in."""
