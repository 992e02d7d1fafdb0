"""DistributedDataParallel wrapper that also works for CPU (gloo) training.

mmengine's runner always passes ``device_ids=[LOCAL_RANK]``; torch refuses
``device_ids`` for a module on the CPU.  This wrapper drops them when the
module's parameters live on the CPU and is otherwise
:class:`mmengine.model.MMDistributedDataParallel` unchanged.
"""
from mmengine.model import MMDistributedDataParallel
from mmengine.registry import MODEL_WRAPPERS as ROOT_MODEL_WRAPPERS

from mmkd_rs.registry import MODEL_WRAPPERS

__all__ = ['DeviceAwareDistributedDataParallel']


@MODEL_WRAPPERS.register_module()
class DeviceAwareDistributedDataParallel(MMDistributedDataParallel):

    def __init__(self, module, device_ids=None, **kwargs):
        param = next(module.parameters(), None)
        if param is None or param.device.type == 'cpu':
            device_ids = None
        super().__init__(module=module, device_ids=device_ids, **kwargs)


# ``Runner.wrap_model`` resolves the wrapper type with ``get`` on mmengine's
# root registry, which does not search grandchildren such as ours.
ROOT_MODEL_WRAPPERS.register_module(module=DeviceAwareDistributedDataParallel)
