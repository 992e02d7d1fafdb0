"""Road graph extraction and graph metrics (APLS, TOPO)."""
