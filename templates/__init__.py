"""Templates the office can edit: the worked example register and the response text."""
