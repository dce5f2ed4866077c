"""SDMX-ML 2.1 messages: structure messages and generic data messages, built with lxml.

A structure message is small (a few hundred codes) and is built as one tree. A data message
may hold every figure there is (some 140,000 with the data sets loaded), so it is written
as it is read: `lxml.etree.xmlfile` writes the header and then one series at a time (each a
small tree, which declares its namespace again: lxml writes a detached tree whole), and the
body is handed on in chunks. Both validate against the official schemas
(`SDMXMessage.xsd`, tests/sdmx).
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from app.sdmx import codes
from app.sdmx.artefacts import (
    PACKAGES,
    Artefact,
    Codelist,
    Component,
    ConceptScheme,
    Dataflow,
    DataStructure,
    urn,
)
from app.sdmx.names import Names, names
from app.sdmx.queries import DataDetail
from app.sdmx.service import Header, Series
from app.trade.numbers import plain

_BASE = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/"
NAMESPACES = {
    "message": _BASE + "message",
    "common": _BASE + "common",
    "structure": _BASE + "structure",
    "generic": _BASE + "data/generic",
}
HEADER_NAMESPACES = {key: NAMESPACES[key] for key in ("message", "common")}
SERIES_NAMESPACES = {"generic": NAMESPACES["generic"]}
DATA_NAMESPACES = {**HEADER_NAMESPACES, **SERIES_NAMESPACES}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Where the artefacts go in <message:Structures>, in the order SDMXStructure.xsd lists them.
SECTIONS = (
    ("dataflow", "Dataflows"),
    ("codelist", "Codelists"),
    ("conceptscheme", "Concepts"),
    ("datastructure", "DataStructures"),
)
# The id a data message gives its structure, which its data set refers to.
STRUCTURE_REF = f"{codes.AGENCY}_{codes.DATA_STRUCTURE}_{codes.VERSION.replace('.', '_')}"
CHUNK_BYTES = 64 * 1024


def _q(prefix: str, name: str) -> str:
    return f"{{{NAMESPACES[prefix]}}}{name}"


def _sub(parent: etree._Element, prefix: str, name: str, **attrib: str) -> etree._Element:
    return etree.SubElement(parent, _q(prefix, name), attrib)


def _names(parent: etree._Element, given: Names, tag: str = "Name") -> None:
    """A `<common:Name>` (or `tag`) in each language of `given`."""
    for language, text in given.items():
        element = _sub(parent, "common", tag)
        element.set(XML_LANG, language)
        element.text = text


def _header(parent: etree._Element, header: Header) -> etree._Element:
    element = _sub(parent, "message", "Header")
    _sub(element, "message", "ID").text = header.id
    _sub(element, "message", "Test").text = "false"
    _sub(element, "message", "Prepared").text = header.prepared.isoformat(timespec="seconds")
    sender = _sub(element, "message", "Sender", id=codes.AGENCY)
    _names(sender, names("label", "sender"))
    return element


# --- structure messages ------------------------------------------------------------------------


def _ref(parent: etree._Element, **attrib: str) -> None:
    # References are unqualified `<Ref>` elements (SDMXCommonReferences.xsd).
    etree.SubElement(parent, "Ref", attrib)


def _maintainable(parent: etree._Element, tag: str, artefact: Artefact) -> etree._Element:
    element = _sub(
        parent,
        "structure",
        tag,
        id=artefact.id,
        urn=urn(artefact),
        agencyID=codes.AGENCY,
        version=codes.VERSION,
    )
    _names(element, artefact.names)
    return element


def _codelist(parent: etree._Element, codelist: Codelist) -> None:
    element = _maintainable(parent, "Codelist", codelist)
    for code in codelist.codes:
        item = _sub(element, "structure", "Code", id=code.id)
        _names(item, code.names)
        if code.description:
            _names(item, {"en": code.description}, tag="Description")


def _concept_scheme(parent: etree._Element, scheme: ConceptScheme) -> None:
    element = _maintainable(parent, "ConceptScheme", scheme)
    for concept in scheme.concepts:
        _names(_sub(element, "structure", "Concept", id=concept.id), concept.names)


def _dataflow(parent: etree._Element, flow: Dataflow) -> None:
    element = _maintainable(parent, "Dataflow", flow)
    package, class_name = PACKAGES["datastructure"]
    _ref(
        _sub(element, "structure", "Structure"),
        id=flow.structure,
        version=codes.VERSION,
        agencyID=codes.AGENCY,
        package=package,
        **{"class": class_name},
    )


def _component(
    parent: etree._Element, tag: str, component: Component, dsd: DataStructure, **attrib: str
) -> etree._Element:
    element = _sub(parent, "structure", tag, id=component.id, **attrib)
    _ref(
        _sub(element, "structure", "ConceptIdentity"),
        id=component.id,
        maintainableParentID=dsd.concept_scheme,
        maintainableParentVersion=codes.VERSION,
        agencyID=codes.AGENCY,
        package="conceptscheme",
        **{"class": "Concept"},
    )
    representation = _sub(element, "structure", "LocalRepresentation")
    if component.codelist is not None:
        _ref(
            _sub(representation, "structure", "Enumeration"),
            id=component.codelist,
            version=codes.VERSION,
            agencyID=codes.AGENCY,
            package="codelist",
            **{"class": "Codelist"},
        )
    elif component.text_type is not None:
        _sub(representation, "structure", "TextFormat", textType=component.text_type)
    return element


def _attribute(parent: etree._Element, attribute: Component, dsd: DataStructure) -> None:
    status = "Mandatory" if attribute.mandatory else "Conditional"
    element = _component(parent, "Attribute", attribute, dsd, assignmentStatus=status)
    relationship = _sub(element, "structure", "AttributeRelationship")
    if attribute.attached_to:
        for dimension in attribute.attached_to:
            _ref(_sub(relationship, "structure", "Dimension"), id=dimension)
    else:
        _ref(_sub(relationship, "structure", "PrimaryMeasure"), id=dsd.measure.id)


def _data_structure(parent: etree._Element, dsd: DataStructure) -> None:
    element = _maintainable(parent, "DataStructure", dsd)
    components = _sub(element, "structure", "DataStructureComponents")
    dimensions = _sub(components, "structure", "DimensionList", id="DimensionDescriptor")
    for position, dimension in enumerate(dsd.dimensions, start=1):
        _component(dimensions, "Dimension", dimension, dsd, position=str(position))
    _component(
        dimensions,
        "TimeDimension",
        dsd.time_dimension,
        dsd,
        position=str(len(dsd.dimensions) + 1),
    )
    attributes = _sub(components, "structure", "AttributeList", id="AttributeDescriptor")
    for attribute in dsd.attributes:
        _attribute(attributes, attribute, dsd)
    measures = _sub(components, "structure", "MeasureList", id="MeasureDescriptor")
    _component(measures, "PrimaryMeasure", dsd.measure, dsd)


def _artefact(section: etree._Element, artefact: Artefact) -> None:
    if isinstance(artefact, Dataflow):
        _dataflow(section, artefact)
    elif isinstance(artefact, DataStructure):
        _data_structure(section, artefact)
    elif isinstance(artefact, ConceptScheme):
        _concept_scheme(section, artefact)
    else:
        _codelist(section, artefact)


def structure_message(header: Header, artefacts: list[Artefact]) -> bytes:
    """A `<message:Structure>` holding `artefacts`, each in its section."""
    root = etree.Element(
        _q("message", "Structure"),
        nsmap={key: NAMESPACES[key] for key in ("message", "common", "structure")},
    )
    _header(root, header)
    structures = _sub(root, "message", "Structures")
    for resource, section_name in SECTIONS:
        members = [artefact for artefact in artefacts if artefact.resource == resource]
        if members:
            section = _sub(structures, "structure", section_name)
            for artefact in members:
                _artefact(section, artefact)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# --- generic data messages ---------------------------------------------------------------------


class _Chunks:
    """Where `xmlfile` writes: the bytes since the last chunk was taken."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.parts.append(data)
        self.size += len(data)
        return len(data)

    def take(self) -> bytes:
        chunk = b"".join(self.parts)
        self.parts.clear()
        self.size = 0
        return chunk


def _data_header(header: Header) -> etree._Element:
    holder = etree.Element(_q("message", "GenericData"), nsmap=HEADER_NAMESPACES)
    element = _header(holder, header)
    structure = _sub(
        element,
        "message",
        "Structure",
        structureID=STRUCTURE_REF,
        dimensionAtObservation=codes.TIME_PERIOD,
    )
    _ref(
        _sub(structure, "common", "Structure"),
        id=codes.DATA_STRUCTURE,
        agencyID=codes.AGENCY,
        version=codes.VERSION,
    )
    return element


def _values(parent: etree._Element, tag: str, values: dict[str, str]) -> None:
    element = _sub(parent, "generic", tag)
    for id_, value in values.items():
        _sub(element, "generic", "Value", id=id_, value=value)


def _series(series: Series, detail: DataDetail) -> etree._Element:
    element = etree.Element(_q("generic", "Series"), nsmap=SERIES_NAMESPACES)
    _values(element, "SeriesKey", dict(zip(codes.SERIES_DIMENSIONS, series.key, strict=True)))
    if detail in ("full", "nodata"):
        attributes = {codes.UNIT_MEASURE: series.unit, codes.UNIT_MULT: series.multiplier}
        _values(element, "Attributes", attributes)
    if detail in ("serieskeysonly", "nodata"):
        return element
    for observation in series.observations:
        obs = _sub(element, "generic", "Obs")
        _sub(obs, "generic", "ObsDimension", value=observation.period)
        _sub(obs, "generic", "ObsValue", value=plain(observation.value))
        if detail == "full":
            attributes = {codes.OBS_STATUS: observation.status}
            if observation.qualifier is not None:
                attributes[codes.OBS_QUALIFIER] = observation.qualifier
            _values(obs, "Attributes", attributes)
    return element


def generic_data(header: Header, series: Iterator[Series], detail: DataDetail) -> Iterator[bytes]:
    """A `<message:GenericData>` of `series`, in chunks of about CHUNK_BYTES as it is read."""
    sink = _Chunks()
    with etree.xmlfile(sink, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(_q("message", "GenericData"), nsmap=DATA_NAMESPACES):
            xf.write(_data_header(header))
            with xf.element(_q("message", "DataSet"), structureRef=STRUCTURE_REF):
                for one in series:
                    xf.write(_series(one, detail))
                    xf.flush()
                    if sink.size >= CHUNK_BYTES:
                        yield sink.take()
    yield sink.take()
