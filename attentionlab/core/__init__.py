"""Pure building blocks shared by every layer: labels, columns, parameters, data files."""
