"""Distillers: own recorders, connectors and distill losses of a method."""
