"""Each code an API caller, a staff member or a person sees has one name in one place."""

from consent.choices import Reason
from consent.usage.selectors import REFUSAL_EXPLANATIONS
from core.api_problems import ProblemCode

# Reasons the processing log never keeps as a refusal: a yes, a staff view, the person's own
# download, and the two that only a delivery row keeps.
NOT_A_LOGGED_REFUSAL = {
    Reason.ALLOWED,
    Reason.STAFF_VIEW,
    Reason.SUBJECT_DOWNLOAD,
    Reason.NO_CONFIRMED_ADDRESS,
    Reason.LOG_UNAVAILABLE,
}


def test_an_api_problem_code_never_means_a_reason_too():
    assert not set(ProblemCode) & set(Reason.values)


def test_every_refusal_the_log_keeps_is_explained_to_the_person():
    assert set(REFUSAL_EXPLANATIONS) == set(Reason) - NOT_A_LOGGED_REFUSAL
