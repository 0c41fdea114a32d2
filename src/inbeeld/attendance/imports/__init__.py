"""Importing the exchange format v1 into the database (issue 3 §3; RULES.md §6).

:func:`import_exchange` takes a directory or a ``.zip`` of the exchange files and is all or
nothing:

1. A zip is unpacked into a temporary directory first. Members outside the archive's folder
   (path traversal, absolute paths, links) and members that are not ``.csv`` or ``.parquet`` refuse
   the import.
2. Every file is read and checked by :func:`inbeeld.rules.exchange.read_exchange`, which reports
   every problem with file, line and column. Then the checks that only the database needs are made
   here: rows repeating the identity of an earlier row (a duplicate absence, enrolment, exemption
   or calendar period), BSNs and onderwijsnummers used twice or already belonging to another
   child, values longer than the database holds, and what the importing organisation may import.
3. Any problem: the :class:`ImportBatch` is stored with state ``refused`` and all its problems
   (the first :data:`MAX_STORED_PROBLEMS`; the returned batch carries every one in
   ``all_problems``), and nothing else is stored.
4. Otherwise everything is written in one transaction, in chunks of :data:`CHUNK_SIZE` rows:
   per chunk one query finds the rows that exist, then multi-row INSERTs and ``bulk_update``. A year of
   absences for 100,000 children (about 350,000 rows) never costs a query per row.

Identity (what makes a row "the same row" when the same data are imported again):

* schools: BRIN; students: ``student_id``; enrolments: (student, school, start date);
  exemptions: (student, article, start date); absences: (student, start date, reason).
* The same row again changes nothing (``unchanged``). A row with the same identity and other
  values is a correction and replaces the stored values (``updated``); for an absence that is a
  new end date or hours per day. Rows that are in the database but not in the files stay: an
  import adds and corrects, it never deletes children, enrolments, exemptions or absences.
* calendar.csv replaces the school-free periods of every region it names (RULES.md §1), as it
  does for ``inbeeld analyse``; a school's own free days are not touched.

Schools become :class:`~inbeeld.people.models.School` rows and each gets an organisation of type
school (code = BRIN) when it has none; a school's ``partnership`` becomes an organisation of type
samenwerkingsverband (created when missing, named after its code).

What an organisation may import (need-to-know, issue 9; :mod:`.scope`, docs/authorization.md
"Imports" and "Identities across sources"): only schools, pupils and enrolments of its own scope.
A school its own BRIN and locations and its current pupils; a gemeente the schools of its
municipality and the children living there or enrolled at its schools; a samenwerkingsverband the
schools already in its partnership and their pupils; GGD and wijkteam nothing. A ``student_id`` in
use for a pupil outside the scope is refused, never matched (a pupil is in it for the period of
the file's rows: one enrolled at the importer's school during them can be imported again after it
left); a BSN or onderwijsnummer of another
child is refused without saying whose. Only a gemeente imports calendar.csv (the vacations of a
whole region).

The bulk import records one audit event per import (who, for which organisation, what file,
how many rows), not one per row.

The package: :mod:`.service` (the import, the reads of import batches), :mod:`.files` (a
directory, a zip, uploaded files), :mod:`.checks` (beyond the exchange reader), :mod:`.scope`
(what the importer may write), :mod:`.lines` (line numbers for problems), :mod:`.tables`
(the dataset's tables as stored), :mod:`.writer` (the upserts per file) and :mod:`.bulk` (chunks
and multi-row INSERTs; patch ``bulk.CHUNK_SIZE`` to change the chunk size).
"""

from inbeeld.attendance.imports.bulk import CHUNK_SIZE
from inbeeld.attendance.imports.files import save_uploaded_files
from inbeeld.attendance.imports.service import import_exchange
from inbeeld.attendance.imports.writer import ImportProgress

__all__ = [
    "CHUNK_SIZE",
    "ImportProgress",
    "import_exchange",
    "save_uploaded_files",
]
