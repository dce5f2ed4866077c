"""Structure queries: the forms of the path, `references`, names in every language, errors."""

from __future__ import annotations

from fastapi.testclient import TestClient
from lxml import etree

from app.sdmx.names import LABELS
from app.vocabulary import LANGUAGES

BASE = "/sdmx/2.1"
NS = {
    "message": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message",
    "structure": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure",
    "common": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EVERYTHING = [
    ("Dataflow", "TRADE"),
    ("DataStructure", "DSD_TRADE"),
    ("ConceptScheme", "CS_TRADE"),
    ("Codelist", "CL_FREQ"),
    ("Codelist", "CL_AREA"),
    ("Codelist", "CL_INDICATOR"),
    ("Codelist", "CL_OBS_STATUS"),
    ("Codelist", "CL_OBS_QUALIFIER"),
    ("Codelist", "CL_UNIT_MEASURE"),
    ("Codelist", "CL_UNIT_MULT"),
]
ARTEFACT_TAGS = ("Dataflow", "DataStructure", "ConceptScheme", "Codelist")


def structure(client: TestClient, path: str, **params: str) -> etree._Element:
    answer = client.get(BASE + path, params=params)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/vnd.sdmx.structure+xml; version=2.1"
    return etree.fromstring(answer.content)


def artefacts(root: etree._Element) -> set[tuple[str, str]]:
    """(type, id) of each artefact of a structure message (which lists them in the sections
    of the schema: dataflows, code lists, concept schemes, data structures)."""
    found = root.iterfind("message:Structures/*/*", NS)
    return {(etree.QName(element).localname, element.get("id", "")) for element in found}


def problem(client: TestClient, path: str, status: int, **params: str) -> dict[str, object]:
    answer = client.get(BASE + path, params=params)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = answer.json()
    return body


# Each test below runs its cases in one app per backend: an app is built for every test.

DATAFLOW_FORMS = [
    "/dataflow/SCOTRADE/TRADE/latest",
    "/dataflow/SCOTRADE/TRADE/1.0",
    "/dataflow/all/all/latest",
    "/dataflow/SCOTRADE/TRADE",
    "/dataflow/SCOTRADE",
    "/dataflow",
    "/dataflow/all/TRADE+OTHER/all",
]


def test_the_forms_of_a_dataflow_query(client: TestClient) -> None:
    for path in DATAFLOW_FORMS:
        assert artefacts(structure(client, path)) == {("Dataflow", "TRADE")}, path
        assert artefacts(structure(client, path, references="all")) == set(EVERYTHING), path


REFERENCES = [
    ("/datastructure/SCOTRADE/DSD_TRADE/1.0", "none", [("DataStructure", "DSD_TRADE")]),
    ("/datastructure/SCOTRADE/DSD_TRADE/1.0", "children", EVERYTHING[1:]),
    ("/datastructure/SCOTRADE/DSD_TRADE/1.0", "parents", EVERYTHING[:2]),
    ("/dataflow/SCOTRADE/TRADE/1.0", "children", EVERYTHING[:2]),
    ("/dataflow/SCOTRADE/TRADE/1.0", "descendants", EVERYTHING),
    ("/dataflow/SCOTRADE/TRADE/1.0", "codelist", [EVERYTHING[0], *EVERYTHING[3:]]),
    ("/codelist/SCOTRADE/CL_AREA/1.0", "none", [("Codelist", "CL_AREA")]),
    ("/codelist/SCOTRADE/CL_AREA/1.0", "parents", [EVERYTHING[1], EVERYTHING[4]]),
    ("/codelist/SCOTRADE/CL_AREA/1.0", "parentsandsiblings", EVERYTHING[1:]),
    ("/codelist/SCOTRADE/CL_AREA/1.0", "dataflow", [EVERYTHING[0], EVERYTHING[4]]),
    ("/conceptscheme/SCOTRADE/CS_TRADE/1.0", "none", [EVERYTHING[2]]),
    ("/codelist", "none", EVERYTHING[3:]),
    ("/codelist/SCOTRADE/CL_FREQ+CL_UNIT_MULT", "none", [EVERYTHING[3], EVERYTHING[9]]),
]


def test_references_add_the_linked_artefacts(client: TestClient) -> None:
    for path, references, expected in REFERENCES:
        found = artefacts(structure(client, path, references=references))
        assert found == set(expected), (path, references)


def test_every_name_is_given_in_each_language_it_has(client: TestClient) -> None:
    root = structure(client, "/dataflow/SCOTRADE/TRADE/latest", references="all")
    for tag in ARTEFACT_TAGS:
        for element in root.iterfind(f".//structure:{tag}", NS):
            names = {n.get(XML_LANG): n.text for n in element.iterfind("common:Name", NS)}
            assert set(names) == set(LANGUAGES), element.get("id")
    concepts = root.iterfind(".//structure:Concept", NS)
    assert all(len(concept.findall("common:Name", NS)) == len(LANGUAGES) for concept in concepts)
    assert all(set(label) == set(LANGUAGES) for label in LABELS.values())


def test_the_area_code_list_has_every_area_and_the_sco_group(client: TestClient) -> None:
    root = structure(client, "/codelist/SCOTRADE/CL_AREA/1.0")
    codes = {code.get("id"): code for code in root.iterfind(".//structure:Code", NS)}
    areas = client.get("/api/v1/areas", params={"limit": 500}).json()["items"]
    assert set(codes) == {area["code"] for area in areas}
    sco = codes["SCO"].find("common:Name", NS)
    assert sco is not None
    assert sco.get(XML_LANG) == "en"
    assert sco.text == next(area["name"] for area in areas if area["code"] == "SCO")


def test_areas_indicators_and_statuses_are_named_as_the_api_names_them(
    client: TestClient,
) -> None:
    root = structure(client, "/dataflow/SCOTRADE/TRADE/latest", references="all")

    def names_of(codelist: str, code: str) -> dict[str | None, str | None]:
        item = root.find(
            f".//structure:Codelist[@id='{codelist}']/structure:Code[@id='{code}']", NS
        )
        assert item is not None, (codelist, code)
        return {n.get(XML_LANG): n.text for n in item.iterfind("common:Name", NS)}

    for code in ("KAZ", "SCO"):
        for language in LANGUAGES:
            answer = client.get(f"/api/v1/areas/{code}", params={"lang": language}).json()
            assert names_of("CL_AREA", code)[language] == answer["name"]
    assert names_of("CL_AREA", "SCO")["zh"] == "上海合作组织"
    indicator = client.get("/api/v1/trade/indicators/trade_turnover", params={"lang": "ru"})
    assert names_of("CL_INDICATOR", "trade_turnover")["ru"] == indicator.json()["name"]
    assert set(names_of("CL_OBS_STATUS", "A")) == set(LANGUAGES)


def test_the_dsd_names_its_components_and_their_code_lists(client: TestClient) -> None:
    root = structure(client, "/datastructure/SCOTRADE/DSD_TRADE/1.0")
    dimensions = root.findall(".//structure:DimensionList/*", NS)
    assert [d.get("id") for d in dimensions] == [
        "FREQ",
        "REPORTER",
        "PARTNER",
        "INDICATOR",
        "TIME_PERIOD",
    ]
    enumerated = {
        element.get("id"): ref.get("id")
        for element in root.iterfind(".//structure:DataStructureComponents//*[@id]", NS)
        if (ref := element.find("structure:LocalRepresentation/structure:Enumeration/Ref", NS))
        is not None
    }
    assert enumerated == {
        "FREQ": "CL_FREQ",
        "REPORTER": "CL_AREA",
        "PARTNER": "CL_AREA",
        "INDICATOR": "CL_INDICATOR",
        "OBS_STATUS": "CL_OBS_STATUS",
        "OBS_QUALIFIER": "CL_OBS_QUALIFIER",
        "UNIT_MEASURE": "CL_UNIT_MEASURE",
        "UNIT_MULT": "CL_UNIT_MULT",
    }
    measure = root.find(".//structure:MeasureList/structure:PrimaryMeasure", NS)
    assert measure is not None
    assert measure.get("id") == "OBS_VALUE"


def test_xml_is_answered_to_application_xml(client: TestClient) -> None:
    answer = client.get(f"{BASE}/dataflow", headers={"Accept": "application/xml"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/xml"


NOTHING_PUBLISHED = [
    "/dataflow/SCOTRADE/OTHER/latest",
    "/dataflow/OTHER/TRADE/latest",
    "/dataflow/SCOTRADE/TRADE/2.0",
    "/codelist/SCOTRADE/CL_CURRENCY",
    "/dataflow/SCOTRADE/TRADE/latest/extra",
    "/nothing",
]


def test_what_names_nothing_published_is_no_results_found(client: TestClient) -> None:
    for path in NOTHING_PUBLISHED:
        body = problem(client, path, 404)
        assert body["type"] == "/problems/no-results-found", path
        assert body["title"] == "No Results Found"


MALFORMED = [
    ("/dataflow/SCOTRADE/TRADE/v1", {}, "path.version"),
    ("/dataflow/SCOTRADE/TR ADE/latest", {}, "path.resourceID"),
    ("/dataflow/SCO*TRADE", {}, "path.agencyID"),
    ("/dataflow/SCOTRADE/TRADE+/latest", {}, "path.resourceID"),
    ("/dataflow", {"references": "everything"}, "query.references"),
    ("/dataflow", {"detail": "most"}, "query.detail"),
]


def test_a_malformed_query_is_a_400_naming_the_part(client: TestClient) -> None:
    for path, params, field in MALFORMED:
        body = problem(client, path, 400, **params)
        message = str(body["detail"]).removeprefix(f"{field}: ")
        assert body["errors"] == [{"field": field, "message": message, "type": "value_error"}]


def test_what_the_standard_defines_but_is_not_offered_is_a_501(client: TestClient) -> None:
    for path, params in [
        ("/categoryscheme", {}),
        ("/agencyscheme/SDMX", {}),
        ("/dataflow", {"detail": "allstubs"}),
    ]:
        problem(client, path, 501, **params)


def test_sdmx_stays_out_of_the_openapi_document(client: TestClient) -> None:
    """SDMX REST has its own description; /openapi.json is the contract of /api/v1 (README)."""
    document = client.get("/openapi.json").json()
    assert not [path for path in document["paths"] if path.startswith(BASE)]
