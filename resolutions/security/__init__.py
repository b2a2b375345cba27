"""Sign-in protection, second factor, the audit trail of security events, response headers and
request-body caps (docs/security.md maps each to the ASVS requirement it meets)."""
