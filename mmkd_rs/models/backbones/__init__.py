"""Backbones added by the suite (mmseg backbones are usable by name too)."""
