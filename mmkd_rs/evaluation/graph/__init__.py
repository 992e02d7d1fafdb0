"""Road graph extraction and graph metrics (APLS, TOPO), pixel road scores.

Needs numpy and scipy only (rasterio / shapely / scikit-image where a
function reads georeferenced files, simplifies lines or skeletonises), never
torch. Names load from their submodule on first access, so
``from mmkd_rs.evaluation.graph import apls_score`` does not import the
mask-to-graph code (scipy.ndimage, scikit-image) and vice versa.
"""
import importlib

_SUBMODULE = dict(
    APLSResult='apls', APLSSettings='apls', apls_score='apls',
    MetricFrame='geo_io', load_geojson_graph='geo_io',
    load_wkt_csv_graph='geo_io', pixel_lines_to_graph='geo_io', read_geojson_lines='geo_io',
    read_wkt_csv='geo_io', road_counts='pixel_scores', scores_from_counts='pixel_scores',
    RoadGraph='road_graph', graph_from_polylines='road_graph', mask_to_graph='skeleton_graph',
    TopoResult='topo', TopoSettings='topo', topo_score='topo')

__all__ = list(_SUBMODULE)


def __getattr__(name):
    if name in _SUBMODULE:
        value = getattr(importlib.import_module(f'{__name__}.{_SUBMODULE[name]}'), name)
        globals()[name] = value
        return value
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


def __dir__():
    return sorted(list(globals()) + __all__)
