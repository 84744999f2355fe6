"""The model: vocabulary and terms read from the ontology, kinds, label choice, class closure."""
