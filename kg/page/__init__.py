"""networkx view -> one self-contained, interactive HTML page."""
