"""A model field whose value is encrypted in the database and plain in Python (core.crypto)."""

import json

from django import forms
from django.core import checks, exceptions
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.lookups import Exact, IsNull

from core import crypto


class EncryptedTextField(models.TextField):
    """Text stored encrypted; `max_length` still limits the plain value in forms and validation.

    The database sees only ciphertext, so it cannot compare or search it: the only lookups are
    "is empty" and "is null". Finding a row by its value goes through a blind index field
    (core.crypto.blind_index) beside it.
    """

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.place = f"{cls._meta.app_label}.{cls.__name__}.{name}"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return crypto.reveal(value, place=self.place)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return crypto.seal(value, place=self.place)

    def formfield(self, **kwargs):
        # A short value (max_length) is a one-line input, as the CharField it replaces was.
        if self.max_length is not None and "widget" not in kwargs:
            kwargs["widget"] = forms.TextInput
        return super().formfield(**kwargs)

    def get_lookup(self, lookup_name):
        if lookup_name in ("exact", "isnull"):
            return {"exact": EmptyOnlyExact, "isnull": IsNull}[lookup_name]
        return None

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.db_index or self.unique:
            errors.append(
                checks.Error(
                    "An encrypted field cannot be indexed or unique: index a blind index instead.",
                    obj=self,
                    id="core.E001",
                )
            )
        return errors


class EmptyOnlyExact(Exact):
    """`field=""` works (an empty value is stored as it is); any other value cannot match a
    ciphertext, so asking for it is a programming error, not an empty result."""

    def get_prep_lookup(self):
        if self.rhs != "":
            raise exceptions.FieldError(
                f"{self.lhs.target.name} is encrypted: look it up through its blind index."
            )
        return self.rhs

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [value])


class BlindIndexField(models.CharField):
    """The keyed fingerprint of other fields of the row (core.crypto.blind_index), kept up to
    date by the field itself on every insert and save, bulk_create included.

    `of` computes it from the instance. It is left out of migrations (it changes no column);
    a historical model in a migration keeps whatever value the row was given.
    """

    def __init__(self, *args, of=None, **kwargs):
        self.of = of
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("of", None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        if self.of is None:
            return super().pre_save(model_instance, add)
        value = self.of(model_instance)
        setattr(model_instance, self.attname, value)
        return value


class EncryptedJSONField(EncryptedTextField):
    """A JSON document (dicts, lists, text, numbers, dates as text), encrypted as one value."""

    def from_db_value(self, value, expression, connection):
        text = super().from_db_value(value, expression, connection)
        return None if text is None else json.loads(text)

    def get_prep_value(self, value):
        if value is None:
            return None
        return super().get_prep_value(json.dumps(value, cls=DjangoJSONEncoder))

    def to_python(self, value):
        return value

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), cls=DjangoJSONEncoder)

    def formfield(self, **kwargs):
        return None  # a whole document is not edited in a form
