"""The structural metadata this service publishes, as plain immutable values.

One dataflow, its data structure definition (DSD), the concept scheme its components take
their concepts from, and the code lists that enumerate their values: CL_FREQ, CL_AREA (every
area, the SCO group among them), CL_INDICATOR, CL_OBS_STATUS, CL_OBS_QUALIFIER,
CL_UNIT_MEASURE, CL_UNIT_MULT. `catalogue` builds them from the stored areas and indicators;
`sdmx_ml` and `sdmx_json` write them. Every artefact is maintained by `codes.AGENCY` at
version `codes.VERSION`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from app.sdmx import codes
from app.sdmx.names import Names, names, status_names

# The structure resources this service answers (SDMX REST 2.1 names them so in the path).
Resource = Literal["dataflow", "datastructure", "conceptscheme", "codelist"]
RESOURCES: tuple[Resource, ...] = ("dataflow", "datastructure", "conceptscheme", "codelist")
# How each resource is named in a URN (`urn:sdmx:org.sdmx.infomodel.<package>.<class>=...`)
# and in a `<Ref package=... class=...>`.
PACKAGES: dict[Resource, tuple[str, str]] = {
    "dataflow": ("datastructure", "Dataflow"),
    "datastructure": ("datastructure", "DataStructure"),
    "conceptscheme": ("conceptscheme", "ConceptScheme"),
    "codelist": ("codelist", "Codelist"),
}


@dataclass(frozen=True)
class Code:
    id: str
    names: Names
    description: str | None = None  # English, as stored


@dataclass(frozen=True)
class Codelist:
    id: str
    names: Names
    codes: tuple[Code, ...]
    resource: Resource = field(default="codelist", init=False)

    def code_ids(self) -> frozenset[str]:
        return frozenset(code.id for code in self.codes)

    def references(self) -> tuple[tuple[Resource, str], ...]:
        return ()


@dataclass(frozen=True)
class Concept:
    id: str
    names: Names


@dataclass(frozen=True)
class ConceptScheme:
    id: str
    names: Names
    concepts: tuple[Concept, ...]
    resource: Resource = field(default="conceptscheme", init=False)

    def references(self) -> tuple[tuple[Resource, str], ...]:
        return ()


@dataclass(frozen=True)
class Component:
    """A dimension, the time dimension, an attribute or the measure: its id is its concept's.

    `codelist` enumerates its values; otherwise `text_type` says what they are. An attribute
    relates to the dimensions `attached_to` (its value is constant over them: a series
    attribute), or, when empty, to the measure (an observation attribute).
    """

    id: str
    codelist: str | None = None
    text_type: str | None = None
    mandatory: bool = True
    attached_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class DataStructure:
    id: str
    names: Names
    concept_scheme: str
    dimensions: tuple[Component, ...]
    time_dimension: Component
    attributes: tuple[Component, ...]
    measure: Component
    resource: Resource = field(default="datastructure", init=False)

    def components(self) -> tuple[Component, ...]:
        return (*self.dimensions, self.time_dimension, *self.attributes, self.measure)

    def references(self) -> tuple[tuple[Resource, str], ...]:
        lists = dict.fromkeys(c.codelist for c in self.components() if c.codelist is not None)
        used: list[tuple[Resource, str]] = [("codelist", id_) for id_ in lists]
        return (("conceptscheme", self.concept_scheme), *used)


@dataclass(frozen=True)
class Dataflow:
    id: str
    names: Names
    structure: str
    resource: Resource = field(default="dataflow", init=False)

    def references(self) -> tuple[tuple[Resource, str], ...]:
        return (("datastructure", self.structure),)


Artefact = Dataflow | DataStructure | ConceptScheme | Codelist


def urn(artefact: Artefact) -> str:
    package, class_name = PACKAGES[artefact.resource]
    return (
        f"urn:sdmx:org.sdmx.infomodel.{package}.{class_name}="
        f"{codes.AGENCY}:{artefact.id}({codes.VERSION})"
    )


# --- what the service publishes --------------------------------------------------------------


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    description: str


def _label(key: str) -> Names:
    return names("label", key)


def _codelist(id_: str, entries: Iterable[Code]) -> Codelist:
    return Codelist(id_, _label(f"codelist:{id_}"), tuple(entries))


def _own_codes(dimension: str, ids: Iterable[str]) -> Iterator[Code]:
    for id_ in ids:
        yield Code(id_, _label(f"code:{dimension}:{id_}"))


# The components of DSD_TRADE, in order: the dimensions of a series key, the time dimension,
# the attributes, the measure.
DIMENSIONS = (
    Component(codes.FREQ, codelist="CL_FREQ"),
    Component(codes.REPORTER, codelist="CL_AREA"),
    Component(codes.PARTNER, codelist="CL_AREA"),
    Component(codes.INDICATOR, codelist="CL_INDICATOR"),
)
TIME_DIMENSION = Component(codes.TIME_PERIOD, text_type="ObservationalTimePeriod")
ATTRIBUTES = (
    Component(codes.OBS_STATUS, codelist="CL_OBS_STATUS"),
    Component(codes.OBS_QUALIFIER, codelist="CL_OBS_QUALIFIER", mandatory=False),
    # Each indicator has one unit (`trade_indicators.unit`): constant along a series.
    Component(codes.UNIT_MEASURE, codelist="CL_UNIT_MEASURE", attached_to=(codes.INDICATOR,)),
    Component(codes.UNIT_MULT, codelist="CL_UNIT_MULT", attached_to=(codes.INDICATOR,)),
)
MEASURE = Component(codes.OBS_VALUE, text_type="Decimal")
COMPONENTS = (*DIMENSIONS, TIME_DIMENSION, *ATTRIBUTES, MEASURE)


def _trade_structure() -> DataStructure:
    return DataStructure(
        id=codes.DATA_STRUCTURE,
        names=_label(f"datastructure:{codes.DATA_STRUCTURE}"),
        concept_scheme=codes.CONCEPT_SCHEME,
        dimensions=DIMENSIONS,
        time_dimension=TIME_DIMENSION,
        attributes=ATTRIBUTES,
        measure=MEASURE,
    )


def _concepts() -> ConceptScheme:
    concepts = tuple(Concept(c.id, _label(f"concept:{c.id}")) for c in COMPONENTS)
    return ConceptScheme(
        codes.CONCEPT_SCHEME, _label(f"conceptscheme:{codes.CONCEPT_SCHEME}"), concepts
    )


@dataclass(frozen=True)
class Catalogue:
    """Every artefact published, in the order a structure message lists them."""

    artefacts: tuple[Artefact, ...]

    def of(self, resource: Resource) -> list[Artefact]:
        return [a for a in self.artefacts if a.resource == resource]

    def get(self, resource: Resource, id_: str) -> Artefact | None:
        return next((a for a in self.of(resource) if a.id == id_), None)

    def codelist(self, id_: str) -> Codelist:
        found = self.get("codelist", id_)
        if not isinstance(found, Codelist):
            raise LookupError(id_)
        return found

    def codelist_of(self, component: Component) -> Codelist:
        """The code list that enumerates the values of a component of the DSD."""
        if component.codelist is None:
            raise LookupError(component.id)
        return self.codelist(component.codelist)

    def children(self, artefact: Artefact) -> list[Artefact]:
        """What `artefact` references (a dataflow its DSD; a DSD its concepts and code lists)."""
        found = (self.get(resource, id_) for resource, id_ in artefact.references())
        return [child for child in found if child is not None]

    def descendants(self, artefact: Artefact) -> list[Artefact]:
        found: dict[tuple[str, str], Artefact] = {}
        pending = self.children(artefact)
        while pending:
            child = pending.pop(0)
            if (child.resource, child.id) not in found:
                found[(child.resource, child.id)] = child
                pending.extend(self.children(child))
        return list(found.values())

    def parents(self, artefact: Artefact) -> list[Artefact]:
        """What references `artefact` directly."""
        return [
            other
            for other in self.artefacts
            if (artefact.resource, artefact.id) in other.references()
        ]


def catalogue(areas: Sequence[AreaRow], indicators: Sequence[IndicatorRow]) -> Catalogue:
    """The published artefacts, with the areas and indicators stored now."""
    area_codes = (Code(row.code, names("area", row.code, row.name)) for row in areas)
    indicator_codes = (
        Code(row.code, names("indicator", row.code, row.name), row.description)
        for row in indicators
    )
    status_codes = (
        Code(code, status_names(status)) for status, code in codes.OBS_STATUS_CODES.items()
    )
    units = dict.fromkeys(codes.UNIT_MEASURE_CODES.values())
    return Catalogue(
        (
            Dataflow(codes.DATAFLOW, _label(f"dataflow:{codes.DATAFLOW}"), codes.DATA_STRUCTURE),
            _trade_structure(),
            _concepts(),
            _codelist("CL_FREQ", _own_codes(codes.FREQ, [codes.ANNUAL])),
            _codelist("CL_AREA", area_codes),
            _codelist("CL_INDICATOR", indicator_codes),
            _codelist("CL_OBS_STATUS", status_codes),
            _codelist("CL_OBS_QUALIFIER", _own_codes(codes.OBS_QUALIFIER, codes.QUALIFIER_CODES)),
            _codelist("CL_UNIT_MEASURE", _own_codes(codes.UNIT_MEASURE, units)),
            _codelist("CL_UNIT_MULT", _own_codes(codes.UNIT_MULT, codes.UNIT_MULT_CODES)),
        )
    )
