"""Loss, training loop, configs and checkpoints."""
