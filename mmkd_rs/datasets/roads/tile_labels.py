"""All label rasters of one road tile, from georeferenced centrelines.

:func:`geo_tile_labels` is what the SpaceNet 3 converter writes per tile:
road mask, centreline, junction disks, connectivity label and the road graph.
"""
from .connectivity_labels import (centreline_mask, connectivity_label, disk_mask,
                                  junction_nodes, lines_to_graph, node_lines)
from .geo import (check_overlap, ground_sample_distance, lines_to_pixels, rasterise_road_mask,
                  read_road_lines)

# Connectivity label radii in metres (SpaceNet 3 is 0.3 m/px).
DEFAULT_GEO_CONN_CFG = dict(scheme='topology', centreline_halfwidth_m=0.6, junction_radius_m=3.0,
                            dead_end_radius_m=2.0, border_margin_m=3.0)


def geo_tile_labels(geojson_path, profile, width_m=None, lane_width_m=None,
                    junction_radius_m=None, snap_m=5.0, conn_cfg=None):
    """Rasterise the road labels of one tile.

    Args:
        geojson_path (str): centreline GeoJSON of the tile.
        profile (dict): tile grid: ``transform``, ``crs``, ``height``, ``width``.
        width_m, lane_width_m: road width, see :func:`rasterise_road_mask`.
        junction_radius_m (float, optional): junction disk radius in metres
            (default: the connectivity junction radius).
        snap_m (float): line end points closer than this (metres) are one graph
            node (SpaceNet 3 labels leave gaps of a few metres at some junctions).
            Lines are first split where they cross (see :func:`node_lines`).
        conn_cfg (dict, optional): keyword arguments of
            :func:`~.connectivity_labels.connectivity_label` with radii in
            **metres** (``centreline_halfwidth_m``, ``junction_radius_m``,
            ``dead_end_radius_m``, ``border_margin_m``) plus ``scheme``.

    Returns:
        dict: ``mask``, ``centreline``, ``junction``, ``conn`` (uint8 ``(H, W)``;
        0/1 except ``conn`` in 0..4), ``graph`` (RoadGraph, px) and ``gsd_m``.
    """
    conn_cfg = {**DEFAULT_GEO_CONN_CFG, **(conn_cfg or {})}
    shape = (profile['height'], profile['width'])
    lines, props, crs = read_road_lines(geojson_path)
    check_overlap(lines, crs, profile, geojson_path)
    gsd = ground_sample_distance(profile)
    graph = lines_to_graph(node_lines(lines_to_pixels(lines, crs, profile)),
                           snap_px=max(snap_m / gsd, 0.5),
                           shape=shape, border_margin_px=conn_cfg['border_margin_m'] / gsd)
    mask = rasterise_road_mask(lines, crs, profile, width_m=width_m, props=props,
                               lane_width_m=lane_width_m)
    conn = connectivity_label(
        mask, graph, scheme=conn_cfg['scheme'],
        centreline_halfwidth_px=conn_cfg['centreline_halfwidth_m'] / gsd,
        junction_radius_px=conn_cfg['junction_radius_m'] / gsd,
        dead_end_radius_px=conn_cfg['dead_end_radius_m'] / gsd,
        border_margin_px=conn_cfg['border_margin_m'] / gsd)
    radius_m = junction_radius_m if junction_radius_m is not None else conn_cfg['junction_radius_m']
    return dict(mask=mask, centreline=centreline_mask(graph, shape),
                junction=disk_mask(graph, junction_nodes(graph), shape, radius_m / gsd),
                conn=conn, graph=graph, gsd_m=gsd)
