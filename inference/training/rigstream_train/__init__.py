"""Training pipeline of rigstream's diagnostic GNN (see ../README.md)."""
