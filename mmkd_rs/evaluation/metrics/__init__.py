"""mmengine metrics registered in mmkd_rs.registry.METRICS."""
