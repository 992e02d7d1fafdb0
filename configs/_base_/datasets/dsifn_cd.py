# DSIFN-CD (Zhang et al. 2020): Google Earth, six Chinese cities, 512 x 512
# tiles (256 crops in many copies); images .jpg or .png, labels .png or .tif
# (test split), 0/255. Layout data_root/{train,val,test}/{A,B,label}/.
dataset_type = 'DSIFNCDDataset'
data_root = 'data/dsifn_cd'
# Same pipelines, splits and metric as LEVIR-CD; only the dataset type and root differ.
_base_ = ['./levir_cd.py']
train_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
test_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
