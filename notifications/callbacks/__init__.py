"""Delivery status callbacks: CloudEvents to an organisation's HTTPS endpoints, signed, retried."""
