"""Task losses (soft-IoU, class-balanced CE, ...). Distill losses live in mmkd_rs.distill.losses."""
