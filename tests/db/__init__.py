"""Tests of `app/db`: bulk inserts, keyset paging and the migrations."""
