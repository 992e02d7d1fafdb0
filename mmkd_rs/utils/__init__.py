"""Environment glue: mmcv-lite compatibility, safe checkpoints, user errors."""
