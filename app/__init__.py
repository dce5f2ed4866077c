"""SCO Trade API: open data on Shanghai Cooperation Organisation trade and trade meetings."""

__version__ = "0.1.0"
