"""Road graph extraction and graph metrics (APLS, TOPO), pixel road scores."""
from .apls import APLSResult, APLSSettings, apls_score
from .geo_io import (MetricFrame, RasterGeoref, load_geojson_graph, load_wkt_csv_graph,
                     pixel_lines_to_graph, read_geojson_lines, read_wkt_csv)
from .pixel_scores import road_counts, scores_from_counts
from .road_graph import RoadGraph, graph_from_polylines
from .skeleton_graph import mask_to_graph
from .topo import TopoResult, TopoSettings, topo_score

__all__ = [
    'APLSResult', 'APLSSettings', 'apls_score', 'MetricFrame', 'RasterGeoref',
    'load_geojson_graph', 'load_wkt_csv_graph', 'pixel_lines_to_graph', 'read_geojson_lines',
    'read_wkt_csv', 'road_counts', 'scores_from_counts', 'RoadGraph', 'graph_from_polylines',
    'mask_to_graph', 'TopoResult', 'TopoSettings', 'topo_score'
]
