"""Backups (issue 14): a round trip on the database the tests run on (SQLite, and PostgreSQL
through the Makefile's DB_TESTS): data, a backup, the data changed and deleted, a restore, the
data back. Encrypted at rest with INBEELD_BACKUP_KEY; without it only demo mode writes one."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st

from inbeeld.accounts.models import Organisation
from inbeeld.accounts.tests.factories import OrganisationFactory
from inbeeld.backups import crypto
from inbeeld.backups.service import BackupError, backup, restore

KEY = "k" * 40


def _names() -> set[str]:
    return set(Organisation.objects.values_list("name", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_what_was_changed_and_deleted(tmp_path, settings):
    settings.INBEELD_BACKUP_KEY = KEY
    kept = OrganisationFactory(name="Gemeente Voorbeeld")
    gone = OrganisationFactory(name="School die verdwijnt")
    before = _names()
    written = backup(tmp_path)
    assert written.encrypted
    assert written.path.name.endswith(".enc")
    assert crypto.is_encrypted(written.path)
    assert b"Gemeente Voorbeeld" not in written.path.read_bytes()
    assert written.path.stat().st_mode & 0o077 == 0  # the owner's only

    gone.delete()
    kept.name = "Gemeente Anders"
    kept.save()
    OrganisationFactory(name="Later gemaakt")
    assert _names() != before

    out = io.StringIO()
    call_command("restore", str(written.path), "--noinput", stdout=out)
    assert _names() == before
    assert Organisation.objects.get(pk=kept.pk).name == "Gemeente Voorbeeld"
    assert "restored" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_wrong_key_restores_nothing(tmp_path, settings):
    settings.INBEELD_BACKUP_KEY = KEY
    OrganisationFactory(name="Eerst")
    written = backup(tmp_path)
    OrganisationFactory(name="Daarna")
    settings.INBEELD_BACKUP_KEY = "x" * 40
    with pytest.raises(BackupError, match="different INBEELD_BACKUP_KEY"):
        restore(written.path)
    assert _names() == {"Eerst", "Daarna"}


@pytest.mark.django_db
def test_without_a_key_a_backup_is_refused_outside_demo_mode(tmp_path, settings):
    settings.INBEELD_BACKUP_KEY = ""
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="INBEELD_BACKUP_KEY is not set"):
        call_command("backup", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db(transaction=True)
def test_demo_mode_writes_a_plain_backup_and_says_so(tmp_path, settings):
    settings.INBEELD_BACKUP_KEY = ""
    settings.DEMO_MODE = True
    out, err = io.StringIO(), io.StringIO()
    call_command("backup", str(tmp_path / "nieuw"), stdout=out, stderr=err)
    assert "NOT encrypted" in err.getvalue()
    (written,) = (tmp_path / "nieuw").iterdir()
    assert not written.name.endswith(".enc")
    assert not crypto.is_encrypted(written)


@pytest.mark.django_db
def test_a_backup_of_the_other_database_or_a_stranger_file_is_refused(tmp_path, connection_vendor):
    other = ".pgdump" if connection_vendor == "sqlite" else ".sqlite3"
    stranger = tmp_path / f"inbeeld-x{other}"
    stranger.write_bytes(b"nothing")
    with pytest.raises(BackupError, match="backup; this database is"):
        restore(stranger)
    with pytest.raises(BackupError, match="not a backup"):
        restore(tmp_path / "notes.txt")


@pytest.fixture
def connection_vendor():
    from django.db import connection

    return connection.vendor


def _round_trip(data: bytes) -> bytes:
    sealed, opened = io.BytesIO(), io.BytesIO()
    crypto.encrypt(io.BytesIO(data), sealed, KEY)
    crypto.decrypt(io.BytesIO(sealed.getvalue()), opened, KEY)
    return opened.getvalue()


def test_encryption_streams_in_chunks_and_detects_tampering(monkeypatch):
    monkeypatch.setattr(crypto, "CHUNK", 16)
    data = bytes(range(256)) * 3
    assert _round_trip(data) == data
    assert _round_trip(b"") == b""
    sealed = io.BytesIO()
    crypto.encrypt(io.BytesIO(data), sealed, KEY)
    whole = sealed.getvalue()
    cut = whole[: len(whole) - (16 + 16 + 5)]  # the last chunk dropped
    with pytest.raises(crypto.BackupKeyError, match="cut short"):
        crypto.decrypt(io.BytesIO(cut), io.BytesIO(), KEY)
    flipped = bytearray(whole)
    flipped[len(crypto.MAGIC) + 40] ^= 1
    with pytest.raises(crypto.BackupKeyError):
        crypto.decrypt(io.BytesIO(bytes(flipped)), io.BytesIO(), KEY)
    with pytest.raises(crypto.BackupKeyError, match="at least 32"):
        crypto.encrypt(io.BytesIO(data), io.BytesIO(), "short")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_a_damaged_or_foreign_file_only_ever_fails_with_a_key_error(garbage):
    for candidate in (garbage, crypto.MAGIC + garbage):
        try:
            crypto.decrypt(io.BytesIO(candidate), io.BytesIO(), KEY)
        except crypto.BackupKeyError:
            continue
        raise AssertionError("a file that was never encrypted decrypted")


def test_a_new_key_is_long_enough(capsys):
    call_command("backup", "--new-key")
    assert len(capsys.readouterr().out.strip()) >= crypto.MIN_KEY_LENGTH


def test_restore_asks_first(tmp_path, monkeypatch):
    path = Path(tmp_path / "inbeeld-x.sqlite3")
    path.write_bytes(b"x")
    monkeypatch.setattr("builtins.input", lambda prompt: "nee")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(path))
