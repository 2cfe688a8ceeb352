"""Records to RDF: IRIs, reference data and the mapping of parsed documents."""
