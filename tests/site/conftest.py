"""The site's shared fixtures."""

import pytest


@pytest.fixture(scope="module")
def small_pages_site(synthetic_built, tmp_path_factory):
    """The small synthetic corpus's site, rendered from its store as a large corpus's is: a table page of 10
    measures at most, an index of 4 pairs of documents at most."""
    from helsegraf.deployment import load_deployment
    from helsegraf.paths import deployment_path
    from helsegraf.rdf.iris import Iris
    from helsegraf.site import measure_table, pages, render_site

    deploy = load_deployment(deployment_path())
    site = tmp_path_factory.mktemp("small-pages") / "site"
    with pytest.MonkeyPatch.context() as m:
        m.setattr(measure_table, "ROWS_PER_PAGE", 10)
        m.setattr(pages, "PAIRS_PER_PAGE", 4)
        render_site(synthetic_built.out / "store", Iris(deploy.base_iri), site, deploy=deploy, jobs=1)
    return site
