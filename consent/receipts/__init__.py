"""Consent receipts: the person's proof of each consent given or withdrawn (ISO/IEC TS 27560)."""
