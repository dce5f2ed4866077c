"""The identities this SDMX service publishes, and the SDMX codes of the API's own values.

The dataflow `SCOTRADE:TRADE(1.0)` is structured by `SCOTRADE:DSD_TRADE(1.0)`: one series per
frequency, reporter, partner and indicator, one observation per year (DESIGN section 9).
Its observation statuses, units and unit multipliers are the API's vocabularies
(`app.vocabulary`) written as SDMX writes them; each mapping is here and only here.
"""

from __future__ import annotations

from app.vocabulary import QUALIFIERS, UNITS

AGENCY = "SCOTRADE"
VERSION = "1.0"
DATAFLOW = "TRADE"
DATA_STRUCTURE = "DSD_TRADE"
CONCEPT_SCHEME = "CS_TRADE"

# The key of a series, in order, and the dimension at the observation level.
FREQ, REPORTER, PARTNER, INDICATOR = "FREQ", "REPORTER", "PARTNER", "INDICATOR"
SERIES_DIMENSIONS = (FREQ, REPORTER, PARTNER, INDICATOR)
TIME_PERIOD = "TIME_PERIOD"
OBS_VALUE = "OBS_VALUE"
OBS_STATUS, UNIT_MEASURE, UNIT_MULT = "OBS_STATUS", "UNIT_MEASURE", "UNIT_MULT"
OBS_QUALIFIER = "OBS_QUALIFIER"

# Figures are yearly.
ANNUAL = "A"

# The SDMX cross-domain codes of the statuses: A normal (reported), E estimated,
# P provisional; a derived figure is computed from other figures, which SDMX calls
# imputed (I).
# (tests/sdmx holds every status and unit of `app.vocabulary` to these tables.)
OBS_STATUS_CODES = {
    "reported": "A",
    "estimated": "E",
    "provisional": "P",
    "derived": "I",
}
# The SDMX cross-domain codes of the units: US dollars, percent, a pure number (a ratio).
UNIT_MEASURE_CODES = {"USD": "USD", "percent": "PC", "ratio": "PURE_NUMB"}
# Powers of ten a value is to be multiplied by. Values are stored in the unit itself
# (DESIGN section 3: 66.0 billion USD is 66000000000), so every unit's multiplier is 0;
# the code list names the usual others for clients that rescale.
UNIT_MULTIPLIERS = dict.fromkeys(UNITS, "0")
UNIT_MULT_CODES = ("0", "3", "6", "9")
# How a figure relates to the digits published ("almost $51 billion" is less_than), as the
# API says it (`app.vocabulary.Qualifier`). SDMX has no concept for it, so OBS_QUALIFIER is
# this service's own: given where a figure is not exact, left out where it is.
EXACT = "exact"
QUALIFIER_CODES = tuple(q for q in QUALIFIERS if q != EXACT)
