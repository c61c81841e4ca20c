"""Staff sign-in at /beheer/: the login with two factors (maykin-2fa), lockout after failed
attempts, the audit trail of every login, and the idle timeout of a staff session."""
