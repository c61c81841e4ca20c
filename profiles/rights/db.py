"""A database expression the rights app needs: the time its transaction began."""

from django.db import models


class TransactionNow(models.Func):
    """CURRENT_TIMESTAMP: on PostgreSQL the start of the transaction, the same as now() in a
    trigger. (Django's Now() is STATEMENT_TIMESTAMP() there, which differs per statement.)"""

    template = "CURRENT_TIMESTAMP"
    output_field = models.DateTimeField()
