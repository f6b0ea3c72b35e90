"""Datasets, importers, letterbox, augmentation and the synthetic renderer."""
