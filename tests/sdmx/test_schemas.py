"""The SDMX-ML messages are valid against the official SDMX-ML 2.1 schemas (`SDMXMessage.xsd`,
vendored in `sdmx_ml_2_1_schemas.tar.gz`: see PROVENANCE.md)."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import etree

ARCHIVE = Path(__file__).with_name("sdmx_ml_2_1_schemas.tar.gz")
BASE = "/sdmx/2.1"


@pytest.fixture(scope="module")
def message_schema(tmp_path_factory: pytest.TempPathFactory) -> etree.XMLSchema:
    folder = tmp_path_factory.mktemp("sdmx-schemas")
    with tarfile.open(ARCHIVE) as archive:
        archive.extractall(folder, filter="data")
    return etree.XMLSchema(etree.parse(str(folder / "schemas" / "SDMXMessage.xsd")))


def assert_valid(schema: etree.XMLSchema, body: bytes) -> etree._Element:
    document = etree.fromstring(body)
    assert schema.validate(document), "\n".join(str(error) for error in schema.error_log)
    return document


def test_structure_messages_are_valid(client: TestClient, message_schema: etree.XMLSchema) -> None:
    for path in (
        "/dataflow/SCOTRADE/TRADE/latest?references=all",
        "/codelist/SCOTRADE/CL_AREA/1.0",
    ):
        answer = client.get(BASE + path)
        assert answer.status_code == 200
        root = assert_valid(message_schema, answer.content)
        assert etree.QName(root).localname == "Structure"


def test_generic_data_messages_are_valid(
    client: TestClient, message_schema: etree.XMLSchema
) -> None:
    # Several series of each unit, reported and derived figures, every detail.
    for detail in ("full", "dataonly", "serieskeysonly", "nodata"):
        answer = client.get(f"{BASE}/data/TRADE/A.KAZ+SCO.SCO.", params={"detail": detail})
        assert answer.status_code == 200
        root = assert_valid(message_schema, answer.content)
        assert etree.QName(root).localname == "GenericData"
