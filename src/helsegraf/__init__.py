"""helsegraf: the knowledge graph of Norwegian health policy."""

__version__ = "0.1.0"
