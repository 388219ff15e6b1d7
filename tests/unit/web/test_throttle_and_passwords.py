"""Pure parts of the login throttle and the password policy (issue 17, items 4, 9 and 10)."""

from __future__ import annotations

import pytest

from gmrd.errors import InputError
from gmrd.web.passwords import check_password, common_passwords, password_problem
from gmrd.web.throttle import ThrottleLimits, delay_after


def test_delays_start_after_the_free_failures_double_and_stop_at_the_cap():
    limits = ThrottleLimits(attempts_per_minute=10, free_failures=3, max_delay=60)
    assert [delay_after(n, limits) for n in range(1, 12)] == [0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60]
    assert delay_after(10_000, limits) == 60, "no overflow for a long attack"


def test_the_common_passwords_are_zxcvbns_frequency_list():
    """Wheeler (2016): zxcvbn's 30,000 most frequent passwords of a 10-million leaked-password corpus."""
    common = common_passwords()
    assert 29_000 <= len(common) <= 30_000  # lower-cased, so a few entries coincide
    assert {"password", "123456", "qwerty", "1234567890", "iloveyou"} <= common


@pytest.mark.parametrize(("password", "problem"), [
    ("short-pw", "at least 10"), ("          ", "only spaces"), ("aaaaaaaaaa", "repeats"),
    ("abababababab", "repeats"), ("9876543210", "repeats"), ("password10", "most common"),
    ("!!Dragon2024!!", "most common"), ("my-name-is-Lena", "user name")])
def test_each_rule_names_its_problem(password, problem):
    assert problem in password_problem(password, "lena")
    with pytest.raises(InputError, match="password"):
        check_password(password, "lena")
