from __future__ import annotations

import datetime
import hashlib
import hmac

import pytest

from ledger import recipients as r

KEY_HEX = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
KEY = bytes.fromhex(KEY_HEX)


def vector_id() -> str:
    # The documented test vector (docs/personal-data.md): built in code, never written out.
    return r.make_id("110105", datetime.date(1949, 10, 1), 1)


def test_documented_vector_hashes() -> None:
    assert r.recipient_hash(KEY, vector_id()) == "r-9c968e32cf2cc438"
    assert r.card_hash(KEY, r.make_card("622202", 1234567)) == "c-147bac6b60d42e2f"


def test_hash_is_hmac_sha256_of_the_canonical_id() -> None:
    expected = hmac.new(KEY, vector_id().encode(), hashlib.sha256).hexdigest()[:16]
    assert r.recipient_hash(KEY, vector_id()) == "r-" + expected


@pytest.mark.parametrize(
    "variant",
    [
        lambda s: " " + s + " ",
        lambda s: "'" + s,
        lambda s: s[:6] + " " + s[6:],
        lambda s: "".join(chr(ord(c) + 0xFEE0) for c in s),  # full-width digits (NFKC)
    ],
)
def test_normalisation_gives_the_same_hash(variant: object) -> None:
    assert callable(variant)
    assert r.recipient_hash(KEY, variant(vector_id())) == r.recipient_hash(KEY, vector_id())


def test_lower_case_x_is_upper_cased() -> None:
    for seq in range(200):
        candidate = r.make_id("140105", datetime.date(1980, 5, 17), seq)
        if candidate.endswith("X"):
            lower = candidate[:-1] + "x"
            assert r.is_valid_id(lower)
            assert r.recipient_hash(KEY, lower) == r.recipient_hash(KEY, candidate)
            return
    pytest.fail("no ID with check character X in 200 sequences")


def test_fifteen_digit_id_converts_to_eighteen() -> None:
    full = vector_id()
    old = full[:6] + full[8:17]
    assert r.to_18(old) == full
    assert r.is_valid_id(old)
    assert r.recipient_hash(KEY, old) == r.recipient_hash(KEY, full)


def test_check_digit_and_birth_date() -> None:
    good = vector_id()
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    assert r.id_problem(wrong_check) == "check digit does not match (GB 11643)"
    bad_date = "110105" + "19490231" + "001"
    bad_date += r.check_digit(bad_date)
    assert "birth date 19490231" in (r.id_problem(bad_date) or "")
    assert r.id_problem("12345") is not None


def test_luhn_and_cards() -> None:
    card = r.make_card("622202", 42)
    assert r.is_valid_card(card)
    assert not r.is_valid_card(card[:-1] + str((int(card[-1]) + 1) % 10))
    assert not r.is_valid_card("123456789012345")  # too short
    assert r.luhn_ok("79927398713")


def test_mask_keeps_first_six_and_last_four() -> None:
    ident = vector_id()
    assert r.mask(ident) == ident[:6] + "********" + ident[-4:]
    card = r.make_card("622202", 7)
    assert r.mask(card) == card[:6] + "*" * 9 + card[-4:]


def test_missing_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(r.KEY_ENV, raising=False)
    with pytest.raises(r.KeyError_, match="no recipient key"):
        r.load_key(None)


def test_short_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(r.KEY_ENV, "abcd" * 8)
    with pytest.raises(r.KeyError_, match="16 bytes; at least 32"):
        r.load_key()


def test_key_file(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    monkeypatch.delenv(r.KEY_ENV, raising=False)
    path = tmp_path / "recipient.key"
    path.write_text(KEY_HEX + "\n")
    assert r.load_key(path) == KEY
    path.write_text("not hex")
    with pytest.raises(r.KeyError_, match="is not hex"):
        r.load_key(path)
    with pytest.raises(r.KeyError_, match="cannot read"):
        r.load_key(tmp_path / "missing.key")


def test_fast_hasher_equals_the_general_functions() -> None:
    hasher = r.Hasher(KEY)
    ident = vector_id()
    card = r.make_card("622202", 1234567)
    assert hasher.recipient(ident) == r.recipient_hash(KEY, ident)
    assert hasher.recipient(" " + ident.lower()) == r.recipient_hash(KEY, ident)
    assert hasher.card(card) == r.card_hash(KEY, card)
    assert hasher.card(card[:4] + " " + card[4:]) == r.card_hash(KEY, card)
    assert r.fast_mask(ident) == r.mask(ident)
    assert r.fast_mask("") == ""


@pytest.mark.parametrize(
    "value",
    [
        "r-0123456789abcdef",
        "c-0123456789abcdef",
        "r-0123456789abcde",  # 15 hex digits
        "r-0123456789abcdef0",  # 17
        "r-0123456789ABCDEF",  # upper case
        "r-0123456789abcdeg",
        "r-01234567 9abcdef",
        "r-0123456789abcdef\n",
        "r-\n0123456789abcdef",
        "R-0123456789abcdef",
        "x-0123456789abcdef",
        "rr0123456789abcdef",
        "r-٠١٢٣٤٥٦٧٨٩abcdef",  # other scripts' digits
        "",
        "r-",
    ],
)
def test_is_hash_answers_as_the_hash_patterns(value: str) -> None:
    assert r.is_hash(value, "r-") == (r.RECIPIENT_RE.fullmatch(value) is not None)
    assert r.is_hash(value, "c-") == (r.CARD_RE.fullmatch(value) is not None)


def test_is_hash_accepts_every_hash_the_key_makes() -> None:
    assert r.is_hash(r.recipient_hash(KEY, vector_id()), "r-")
    assert r.is_hash(r.card_hash(KEY, r.make_card("622202", 1234567)), "c-")
    assert not r.is_hash(r.card_hash(KEY, r.make_card("622202", 1234567)), "r-")
